import "server-only";
import { parseFieldMapping, type FieldMapping } from "@/lib/sync/field-mapping";
import { db } from "@/lib/db";
import { partnerRecord, type EntityKind } from "@/lib/sync/mapping";
import { sqlPool } from "@/lib/sql-pool";

// A field-mapping change re-maps the rows we hold from their stored OfficeRnD documents (`data`), in
// batches, without calling OfficeRnD. A row whose version changed between our read and our write is
// left alone: whoever wrote the newer version mapped it.

const BATCH = 500;
const TABLE: Record<"members" | "companies", string> = { members: `"Member"`, companies: `"Company"` };

export type RemapCounts = { members: number; companies: number };

type StoredRow = {
  remoteId: string;
  data: Record<string, unknown>;
  version: string | null;
  companyName: string | null;
};

export async function remapLocation({
  installationId,
  locationId,
  fieldMapping,
  batchSize = BATCH,
}: {
  installationId: string;
  locationId: string;
  fieldMapping: FieldMapping;
  batchSize?: number;
}): Promise<RemapCounts> {
  const counts: RemapCounts = { members: 0, companies: 0 };
  for (const kind of ["companies", "members"] as const) {
    let after = "";
    for (;;) {
      const rows = await readBatch({ kind, installationId, locationId, after, limit: batchSize });
      if (rows.length === 0) break;
      counts[kind] += await writeBatch({ kind, installationId, rows, fieldMapping });
      after = rows[rows.length - 1]!.remoteId;
      if (rows.length < batchSize) break;
    }
  }
  return counts;
}

/** After a run that wrote pages under `usedMapping`: re-maps the location if the mapping changed since. */
export async function remapIfMappingChanged({
  installationId,
  locationId,
  usedMapping,
}: {
  installationId: string;
  locationId: string;
  usedMapping: FieldMapping;
}): Promise<RemapCounts | null> {
  const location = await db.installationLocation.findUnique({
    where: { installationId_locationId: { installationId, locationId } },
    select: { settings: true },
  });
  if (!location) return null;
  const current = parseFieldMapping(location.settings);
  if (JSON.stringify(current) === JSON.stringify(usedMapping)) return null;
  return remapLocation({ installationId, locationId, fieldMapping: current });
}

async function readBatch({
  kind,
  installationId,
  locationId,
  after,
  limit,
}: {
  kind: "members" | "companies";
  installationId: string;
  locationId: string;
  after: string;
  limit: number;
}): Promise<StoredRow[]> {
  // Members take "company" from their company's OfficeRnD name (its raw document, not its mapped name).
  const companyName =
    kind === "members"
      ? `(SELECT c."data"->>'name' FROM "Company" c WHERE c."installationId" = t."installationId" AND c."remoteId" = t."companyId" AND c."deletedAt" IS NULL)`
      : "NULL";
  const { rows } = await sqlPool().query<StoredRow>(
    `SELECT t."remoteId", t."data", t."remoteModifiedAt"::text AS "version", ${companyName} AS "companyName"
     FROM ${TABLE[kind]} t
     WHERE t."installationId" = $1 AND t."locationId" = $2 AND t."deletedAt" IS NULL AND t."remoteId" > $3
     ORDER BY t."remoteId" LIMIT $4`,
    [installationId, locationId, after, limit],
  );
  return rows;
}

async function writeBatch({
  kind,
  installationId,
  rows,
  fieldMapping,
}: {
  kind: EntityKind & ("members" | "companies");
  installationId: string;
  rows: StoredRow[];
  fieldMapping: FieldMapping;
}): Promise<number> {
  const mapped = rows.map((row) => {
    const companyId = typeof row.data.company === "string" ? row.data.company : null;
    const companyNames = companyId && row.companyName ? new Map([[companyId, row.companyName]]) : undefined;
    const partner = partnerRecord(kind, row.data, { fieldMapping, companyNames }) ?? {};
    return {
      remoteId: row.remoteId,
      version: row.version,
      name: String(partner.name ?? ""),
      email: (partner.email as string | null) ?? null,
      mapped: partner,
    };
  });
  const result = await sqlPool().query(
    `UPDATE ${TABLE[kind]} t SET "name" = i."name", "email" = i."email", "mapped" = i."mapped"
     FROM jsonb_to_recordset($2::jsonb) AS i("remoteId" text, "version" text, "name" text, "email" text, "mapped" jsonb)
     WHERE t."installationId" = $1 AND t."remoteId" = i."remoteId" AND t."deletedAt" IS NULL
       AND t."remoteModifiedAt"::text IS NOT DISTINCT FROM i."version"
       AND (t."name", t."email", t."mapped") IS DISTINCT FROM (i."name", i."email", i."mapped")`,
    [installationId, JSON.stringify(mapped)],
  );
  return result.rowCount ?? 0;
}
