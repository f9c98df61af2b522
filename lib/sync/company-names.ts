import "server-only";
import { sqlPool } from "@/lib/sql-pool";

// OfficeRnD company names by id, for members whose mapping fills "company" from their company's name.
// The raw document's name: the company row's own `name` column holds the company mapping's choice.

export async function companyNames(
  installationId: string,
  companyIds: readonly (string | null | undefined)[],
): Promise<Map<string, string>> {
  const ids = [...new Set(companyIds.filter((id): id is string => typeof id === "string" && id !== ""))];
  if (ids.length === 0) return new Map();
  const { rows } = await sqlPool().query<{ remoteId: string; name: string | null }>(
    `SELECT "remoteId", "data"->>'name' AS "name" FROM "Company"
     WHERE "installationId" = $1 AND "remoteId" = ANY($2::text[]) AND "deletedAt" IS NULL`,
    [installationId, ids],
  );
  return new Map(rows.filter((row) => row.name).map((row) => [row.remoteId, row.name!]));
}
