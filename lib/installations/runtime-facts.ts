import "server-only";
import type { Facts } from "@/lib/installations/diagnosis-table";

// The installation's runtime facts the diagnosis reads (issue 13 part 4): the enabled location whose
// sync has been failing longest (its latest finished run failed; "since" is its first failure after its
// last success), and since when our webhook subscription is missing. As SQL text over `$1` (the
// installation id), so the healthcheck can read them inside its one statement.

/** CTEs `latest` and `failing` (at most one row: locationName, reason, since). */
export const RUNTIME_FACTS_CTES = `
  latest AS (
    SELECT DISTINCT ON (r."locationId") r."locationId", r."status", r."error"
    FROM "SyncRun" r
    WHERE r."installationId" = $1 AND r."locationId" IS NOT NULL AND r."status" IN ('succeeded', 'failed')
    ORDER BY r."locationId", r."finishedAt" DESC NULLS LAST, r."createdAt" DESC
  ),
  failing AS (
    SELECT il."name" AS "locationName", l."error" AS "reason", (
      SELECT min(f."finishedAt") FROM "SyncRun" f
      WHERE f."installationId" = $1 AND f."locationId" = l."locationId" AND f."status" = 'failed'
        AND f."finishedAt" > COALESCE((SELECT max(s."finishedAt") FROM "SyncRun" s
          WHERE s."installationId" = $1 AND s."locationId" = l."locationId" AND s."status" = 'succeeded'), '-infinity')
    ) AS "since"
    FROM latest l
    JOIN "InstallationLocation" il ON il."installationId" = $1 AND il."locationId" = l."locationId" AND il."syncEnabled"
    WHERE l."status" = 'failed'
    ORDER BY "since" ASC NULLS LAST
    LIMIT 1
  )`;

/** The columns to select beside `failing f` (joined on true): timestamps as UTC instants. */
export const RUNTIME_FACTS_COLUMNS = `
  f."locationName", f."since" AT TIME ZONE 'UTC' AS "since", f."reason",
  (SELECT h."subscriptionMissingSince" AT TIME ZONE 'UTC' FROM "WebhookHealth" h WHERE h."installationId" = $1) AS "webhooksMissingSince"`;

export type RuntimeFactsRow = {
  locationName: string | null;
  since: Date | null;
  reason: string | null;
  webhooksMissingSince: Date | null;
};

export type RuntimeFacts = Pick<Facts, "syncFailure" | "webhooksMissingSince">;

export function runtimeFactsOf(row: RuntimeFactsRow | undefined): RuntimeFacts {
  return {
    syncFailure:
      row?.locationName && row.since
        ? { locationName: row.locationName, since: row.since, reason: row.reason }
        : null,
    webhooksMissingSince: row?.webhooksMissingSince ?? null,
  };
}
