import "server-only";
import { HEALTHCHECK_RECORD_INTERVAL_MS } from "@/lib/installations/check-installation-health";
import type { SignedRequest } from "@/lib/installations/resolve-signed-installation";
import {
  RUNTIME_FACTS_COLUMNS,
  RUNTIME_FACTS_CTES,
  runtimeFactsOf,
  type RuntimeFacts,
  type RuntimeFactsRow,
} from "@/lib/installations/runtime-facts";
import { StaleInstallation } from "@/lib/installations/signed-cache";
import { preparedStatement, sqlPool } from "@/lib/sql-pool";

// Everything the signed healthcheck reads and writes, in one statement (issue 16 §1): it confirms the
// installation still has the secret and locations the request was verified with (and is not removed),
// enters the signature in the ledger (a repeat is fine: the probe still answers), records the probe at
// most once a minute, and reads the installation's current state and runtime facts.
//
// Locks: the installation row first (FOR NO KEY UPDATE, as the Sync URL's statement does), then the
// ledger key, so a signature presented to both at once cannot deadlock them.

const SQL = `
WITH inst AS (
  SELECT i."id", i."status"::text AS "status", i."tokenExpiresAt" AT TIME ZONE 'UTC' AS "tokenExpiresAt",
         a."name" AS "accountName",
         (i."status" <> 'removed' AND i."secretEnc" = $2 AND i."locationsKey" = $3) AS "isCurrent"
  FROM "Installation" i JOIN "Account" a ON a."id" = i."accountId"
  WHERE i."id" = $1
  FOR NO KEY UPDATE OF i
),
ledger AS (
  INSERT INTO "UsedSignature" ("hash", "expiresAt", "route", "seenAt")
  SELECT $4, $5::timestamptz AT TIME ZONE 'UTC', $6, $7::timestamptz AT TIME ZONE 'UTC' FROM inst WHERE inst."isCurrent"
  ON CONFLICT ("hash") DO NOTHING
),
probe AS (
  UPDATE "Installation" SET "lastHealthcheckAt" = $7::timestamptz AT TIME ZONE 'UTC', "updatedAt" = $7::timestamptz AT TIME ZONE 'UTC'
  WHERE "id" = $1 AND (SELECT "isCurrent" FROM inst)
    AND ("lastHealthcheckAt" IS NULL OR "lastHealthcheckAt" <= ($7::timestamptz AT TIME ZONE 'UTC') - make_interval(secs => $8::float8))
),
${RUNTIME_FACTS_CTES}
SELECT inst."status", inst."tokenExpiresAt", inst."accountName", inst."isCurrent", ${RUNTIME_FACTS_COLUMNS}
FROM inst LEFT JOIN failing f ON true`;
/** Exported for bench:statements. */
export const RECORD_HEALTHCHECK = preparedStatement("record-healthcheck", SQL);

type Row = RuntimeFactsRow & {
  status: "active" | "reconnect_required" | "removed";
  tokenExpiresAt: Date | null;
  accountName: string;
  isCurrent: boolean;
};

export type RecordedHealthcheck = {
  /** The installation as it is now (the request may have been verified against a cached copy). */
  installation: SignedRequest["installation"];
  runtime: RuntimeFacts;
};

/**
 * Runs the healthcheck's statement for a verified request. Throws StaleInstallation (and writes
 * nothing) when the installation changed since the request was verified: the caller resolves it again
 * from fresh rows.
 */
export async function recordHealthcheck(signed: SignedRequest, now: Date): Promise<RecordedHealthcheck> {
  const { installation, verifiedWith, replayClaim } = signed;
  const { rows } = await sqlPool().query<Row>(
    RECORD_HEALTHCHECK([
      installation.id,
      verifiedWith.secretEnc,
      verifiedWith.locationsKey,
      replayClaim.key,
      replayClaim.expiresAt.toISOString(),
      replayClaim.route ?? null,
      now.toISOString(),
      HEALTHCHECK_RECORD_INTERVAL_MS / 1000,
    ]),
  );
  const row = rows[0];
  if (!row?.isCurrent || row.status === "removed") throw new StaleInstallation(installation.id);
  return {
    installation: {
      ...installation,
      status: row.status,
      tokenExpiresAt: row.tokenExpiresAt,
      accountName: row.accountName,
    },
    runtime: runtimeFactsOf(row),
  };
}
