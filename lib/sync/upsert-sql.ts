import type { EntityKind } from "@/lib/sync/mapping";

// SQL for writing our copy. One statement upserts a whole page (`INSERT … SELECT FROM
// jsonb_to_recordset … ON CONFLICT DO UPDATE … WHERE`), and never lets an older state overwrite a newer
// one: a row changes only when the incoming `modifiedAt` is newer. Timestamps are passed as ISO strings
// and stored as UTC wall-clock time, the way Prisma stores `DateTime` in `timestamp(3)` columns.
//
// Parameters of the upsert:
//   $1 installationId  $2 rows (jsonb array of SyncRow)  $3 runId marking rows as seen (or null)
//   $4 write stamp (updatedAt of every changed row)  $5 when the rows were observed at OfficeRnD (or
//   null)  $6 force: a removal, applied to any live row whatever its version.

type TableSpec = { table: string; columns: readonly string[]; scopeColumn: "locationId" | "remoteId" };

export const TABLES: Record<EntityKind, TableSpec> = {
  members: {
    table: "Member",
    columns: ["locationId", "companyId", "name", "email", "status", "mapped"],
    scopeColumn: "locationId",
  },
  companies: {
    table: "Company",
    columns: ["locationId", "name", "email", "status", "mapped"],
    scopeColumn: "locationId",
  },
  locations: { table: "SyncedLocation", columns: ["name"], scopeColumn: "remoteId" },
};

const RECORD_TYPES: Record<string, string> = {
  locationId: "text",
  companyId: "text",
  name: "text",
  email: "text",
  status: "text",
  mapped: "jsonb",
};

/** Columns a tombstone clears: it keeps only ids and times (issue 12 item 8). */
const PERSONAL_COLUMNS: Record<string, string> = {
  name: "''",
  email: "NULL",
  status: "NULL",
  mapped: "NULL",
};

const q = (name: string) => `"${name}"`;
const utc = (expression: string) => `((${expression})::timestamptz AT TIME ZONE 'UTC')`;

/**
 * Is the incoming row (EXCLUDED) to replace the stored one (t)? When it is newer; when either version is
 * unknown; for a forced removal of a live row; and, for a row deleted before the page was fetched, when
 * the page still lists it at the same version (it came back into scope, or the deletion was ours).
 */
const NEWER = `(
    t."remoteModifiedAt" IS NULL OR EXCLUDED."remoteModifiedAt" IS NULL
    OR EXCLUDED."remoteModifiedAt" > t."remoteModifiedAt"
    OR ($6::boolean AND t."deletedAt" IS NULL)
    OR (t."deletedAt" IS NOT NULL AND EXCLUDED."deletedAt" IS NULL AND EXCLUDED."remoteModifiedAt" = t."remoteModifiedAt"
        AND $5::text IS NOT NULL AND t."deletedAt" < ${utc("$5::text")})
  )`;

/**
 * The page upsert. Returns one row `{rows, created, updated, deleted, runUpdated}`; the rest of the page
 * was unchanged. With `withRunProgress`, the same statement (so atomically) adds the counts to the run,
 * saves its checkpoint and heartbeat, but only while the run is still held by this worker's lease:
 *   $7 runId  $8 checkpoint (jsonb)  $9 phase  $10 lease  $11 progress total estimate (or null)
 *   $12 records of the page that could not be read (counted as failed)
 */
export function upsertSql(
  kind: EntityKind,
  { withRunProgress = false }: { withRunProgress?: boolean } = {},
): string {
  const { table, columns } = TABLES[kind];
  const versioned = [...columns, "data", "remoteModifiedAt", "deletedAt"];
  const recordColumns = [
    `"remoteId" text`,
    ...columns.map((column) => `${q(column)} ${RECORD_TYPES[column]}`),
    `"data" jsonb`,
    `"remoteModifiedAt" text`,
    `"deletedAt" text`,
  ].join(", ");
  const insertColumns = [
    "installationId",
    "remoteId",
    ...versioned,
    "lastSeenRunId",
    "createdAt",
    "updatedAt",
  ]
    .map(q)
    .join(", ");
  const selectValues = [
    "$1",
    `i."remoteId"`,
    ...columns.map((column) => `i.${q(column)}`),
    `i."data"`,
    utc(`i."remoteModifiedAt"`),
    utc(`i."deletedAt"`),
    "$3::text",
    utc("$4::text"),
    utc("$4::text"),
  ].join(", ");
  const assignments = [
    ...versioned.map(
      (column) => `${q(column)} = CASE WHEN ${NEWER} THEN EXCLUDED.${q(column)} ELSE t.${q(column)} END`,
    ),
    `"lastSeenRunId" = COALESCE(EXCLUDED."lastSeenRunId", t."lastSeenRunId")`,
    `"updatedAt" = CASE WHEN ${NEWER} THEN EXCLUDED."updatedAt" ELSE t."updatedAt" END`,
  ].join(",\n      ");
  const runProgress = withRunProgress
    ? `,
run AS (
  UPDATE "SyncRun" r SET
    "created" = r."created" + c."created",
    "updated" = r."updated" + c."updated",
    "deleted" = r."deleted" + c."deleted",
    "unchanged" = r."unchanged" + (c."rows" - c."created" - c."updated" - c."deleted"),
    "failed" = r."failed" + $12::int,
    "done" = r."done" + c."rows" + $12::int,
    "total" = GREATEST($11::int, r."done" + c."rows" + $12::int),
    "checkpoint" = $8::jsonb,
    "phase" = $9::text,
    "heartbeatAt" = ${utc("$4::text")}
  FROM counts c
  WHERE r."id" = $7::text AND r."status" = 'running' AND r."checkpoint"->>'lease' = $10::text
  RETURNING 1
)`
    : "";
  return `
WITH input AS (
  -- A page listing one id twice would make ON CONFLICT fail; keep the newest version.
  SELECT DISTINCT ON (r."remoteId") r.*
  FROM jsonb_to_recordset($2::jsonb) AS r(${recordColumns})
  ORDER BY r."remoteId", r."remoteModifiedAt"::timestamptz DESC NULLS LAST
),
before AS (
  SELECT t."remoteId", t."deletedAt" IS NOT NULL AS "wasDeleted"
  FROM ${q(table)} t JOIN input i ON t."installationId" = $1 AND t."remoteId" = i."remoteId"
),
upserted AS (
  INSERT INTO ${q(table)} AS t (${insertColumns})
  SELECT ${selectValues} FROM input i
  -- A document out of scope is not stored: it only turns a row we hold into a tombstone. A removal
  -- ($6) of an unknown id is kept as a bare tombstone, so that an older event cannot bring it back.
  WHERE i."deletedAt" IS NULL OR $6::boolean OR EXISTS (SELECT 1 FROM before b WHERE b."remoteId" = i."remoteId")
  ON CONFLICT ("installationId", "remoteId") DO UPDATE SET
      ${assignments}
  WHERE ${NEWER} OR (EXCLUDED."lastSeenRunId" IS NOT NULL AND t."lastSeenRunId" IS DISTINCT FROM EXCLUDED."lastSeenRunId")
  RETURNING t."remoteId", t."deletedAt" IS NOT NULL AS "isDeleted", t."updatedAt" = ${utc("$4::text")} AS "changed"
),
counts AS (
  SELECT
    (SELECT count(*) FROM input)::int AS "rows",
    count(*) FILTER (WHERE u."changed" AND NOT u."isDeleted" AND (b."remoteId" IS NULL OR b."wasDeleted"))::int AS "created",
    count(*) FILTER (WHERE u."changed" AND NOT u."isDeleted" AND b."remoteId" IS NOT NULL AND NOT b."wasDeleted")::int AS "updated",
    count(*) FILTER (WHERE u."changed" AND u."isDeleted" AND b."remoteId" IS NOT NULL AND NOT b."wasDeleted")::int AS "deleted"
  FROM upserted u LEFT JOIN before b ON b."remoteId" = u."remoteId"
)${runProgress}
SELECT c.*, ${withRunProgress ? `(SELECT count(*) FROM run)::int` : "0"} AS "runUpdated" FROM counts c`;
}

/**
 * Mark and sweep: after a complete full pass, live rows of the location that the run did not see are
 * deleted. Rows written since the run started (by webhooks) are spared: the pass may have missed them.
 *   $1 installationId  $2 locationId  $3 runId  $4 stamp  $5 run start
 */
export function sweepSql(kind: EntityKind): string {
  const { table, columns } = TABLES[kind];
  const cleared = columns
    .filter((column) => column in PERSONAL_COLUMNS)
    .map((column) => `${q(column)} = ${PERSONAL_COLUMNS[column]}, `)
    .join("");
  return `
UPDATE ${q(table)} SET ${cleared}"data" = jsonb_build_object('_id', "remoteId", 'modifiedAt', "data"->'modifiedAt'),
  "deletedAt" = ${utc("$4::text")}, "updatedAt" = ${utc("$4::text")}
WHERE ${sweepWhere(kind, "$3", "$5")}`;
}

/**
 * What a sweep would delete, without deleting: `count` and `sample` take $1 installationId
 * $2 locationId $3 runId $4 run start (sample: $5 limit); `live` counts the location's live rows ($1, $2).
 */
export function sweepPlanSql(kind: EntityKind): { count: string; sample: string; live: string } {
  const { table, scopeColumn } = TABLES[kind];
  const email = kind === "locations" ? "NULL::text" : `"email"`;
  return {
    count: `SELECT count(*)::int AS "count" FROM ${q(table)} WHERE ${sweepWhere(kind, "$3", "$4")}`,
    sample: `SELECT "remoteId", "name", ${email} AS "email" FROM ${q(table)} WHERE ${sweepWhere(kind, "$3", "$4")} ORDER BY "name", "remoteId" LIMIT $5`,
    live: `SELECT count(*)::int AS "count" FROM ${q(table)} WHERE "installationId" = $1 AND ${q(scopeColumn)} = $2 AND "deletedAt" IS NULL`,
  };
}

function sweepWhere(kind: EntityKind, runParam: string, startParam: string): string {
  const { scopeColumn } = TABLES[kind];
  return `"installationId" = $1 AND ${q(scopeColumn)} = $2 AND "deletedAt" IS NULL
  AND "lastSeenRunId" IS DISTINCT FROM ${runParam}::text AND "updatedAt" < ${utc(`${startParam}::text`)}`;
}
