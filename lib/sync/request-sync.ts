import "server-only";
import { randomUUID } from "node:crypto";
import { AppError } from "@/lib/errors";
import { sendSyncJobs } from "@/lib/jobs/boss";
import { errorSummary, log } from "@/lib/log";
import { inSqlTransaction, preparedStatement } from "@/lib/sql-pool";
import type { RequestedKind } from "@/lib/sync/plan";
import { locationLockKeySql } from "@/lib/sync/run-claim";

export type SyncRequest = {
  installationId: string;
  /** One location; omitted or null means every enabled location of the installation. */
  locationId?: string | null;
  /** Why, for the run list and the audit trail (e.g. "configure.sync_now", "schedule", "webhook"). */
  trigger: string;
  /** "auto" (default): incremental when a recent full pass exists, else full. */
  kind?: RequestedKind;
};

// A request costs the same four round trips for one location or a hundred (issue 16 §1; it was
// 2 + 3 per location): BEGIN, LOCK_SQL, QUEUE_SQL, COMMIT, then the job insert.
//
// LOCK_SQL reads the installation and its enabled locations, decides the targets and takes each
// target's advisory lock, sorted by key so two requests cannot deadlock. They are the locks a worker
// takes to start a run (run-claim.ts, lockLocation, the same locationLockKeySql), so no run can
// start while we decide to reuse it. QUEUE_SQL must be a later statement: in READ COMMITTED a statement
// reads a snapshot taken when it starts, and the one that took the locks started before it held them.
// Postgres evaluates the volatile lock calls after the ORDER BY sort, hence in key order.
// $1 installation, $2 one location (null: every enabled location).
const LOCK_SQL = `
WITH inst AS (
  SELECT "status", "locationsKey" FROM "Installation" WHERE "id" = $1
),
enabled AS (
  SELECT "locationId" FROM "InstallationLocation" WHERE "installationId" = $1 AND "syncEnabled"
),
targets AS (
  SELECT e."locationId" FROM enabled e, inst
  WHERE inst."status" <> 'removed' AND ($2::text IS NULL OR e."locationId" = $2)
  UNION ALL
  SELECT NULL FROM inst WHERE inst."status" <> 'removed' AND $2::text IS NULL AND inst."locationsKey" = ''
),
locked AS (
  SELECT t."locationId", pg_advisory_xact_lock(k.key) AS "lock"
  FROM targets t,
       LATERAL (SELECT ${locationLockKeySql("$1::text", 't."locationId"')} AS key) k
  ORDER BY k.key
)
SELECT inst."status",
       ($2::text IS NULL OR EXISTS (SELECT 1 FROM enabled WHERE "locationId" = $2)) AS "isLocationSynced",
       (SELECT COALESCE(array_agg(l."locationId" ORDER BY l."locationId" NULLS LAST), '{}') FROM locked l) AS "targets"
FROM inst`;

// Per target (in order): the oldest waiting run (queued, not started) is reused, and made full when a
// full pass is asked for; a target without one gets a new run. The insert cannot see the update's rows
// and needs not: it only adds runs for targets that had none.
// $1 installation, $2 targets, $3 a fresh id per target, $4 kind, $5 trigger, $6 now.
const QUEUE_SQL = `
WITH t AS (
  SELECT loc, id, ord FROM unnest($2::text[], $3::text[]) WITH ORDINALITY AS t(loc, id, ord)
),
waiting AS (
  SELECT DISTINCT ON (r."locationId") r."id", r."locationId", r."kind"
  FROM "SyncRun" r
  WHERE r."installationId" = $1 AND r."status" = 'queued' AND r."startedAt" IS NULL
    AND EXISTS (SELECT 1 FROM t WHERE t.loc IS NOT DISTINCT FROM r."locationId")
  ORDER BY r."locationId", r."createdAt", r."id"
),
upgraded AS (
  UPDATE "SyncRun" r SET "kind" = 'full'
  FROM waiting w
  WHERE r."id" = w."id" AND $4 = 'full' AND w."kind" <> 'full'
),
inserted AS (
  INSERT INTO "SyncRun" ("id", "installationId", "locationId", "kind", "trigger", "status", "createdAt")
  SELECT t.id, $1, t.loc, CASE WHEN t.loc IS NULL THEN 'discover' ELSE $4 END, $5, 'queued',
         $6::timestamptz AT TIME ZONE 'UTC'
  FROM t
  WHERE NOT EXISTS (SELECT 1 FROM waiting w WHERE w."locationId" IS NOT DISTINCT FROM t.loc)
  RETURNING "id", "locationId"
)
SELECT COALESCE(w."id", i."id") AS "id"
FROM t
LEFT JOIN waiting w ON w."locationId" IS NOT DISTINCT FROM t.loc
LEFT JOIN inserted i ON i."locationId" IS NOT DISTINCT FROM t.loc
ORDER BY t.ord`;

const LOCK_TARGETS = preparedStatement("request-sync-lock", LOCK_SQL);
const QUEUE_RUNS = preparedStatement("request-sync-queue", QUEUE_SQL);

type LockRow = { status: string; isLocationSynced: boolean; targets: (string | null)[] };

/**
 * Queues a run per location and asks a worker for it; a location's already-queued run is reused, so
 * requests never pile up. An all-locations installation also gets a discovery run (locationId null) that
 * adds locations opened since. A failed enqueue is retried by maintenance.
 * The run ids come in target order: the locations by id, then the discovery run.
 */
export async function requestSync(request: SyncRequest): Promise<{ runIds: string[] }> {
  const { installationId, trigger } = request;
  const kind = request.kind ?? "auto";
  const { targets, runIds } = await inSqlTransaction(async (client) => {
    const { rows } = await client.query<LockRow>(LOCK_TARGETS([installationId, request.locationId ?? null]));
    const installation = rows[0];
    if (!installation) throw new AppError("not_found", "No such installation.");
    if (installation.status === "removed")
      throw new AppError("not_connected", "The integration was removed from OfficeRnD.");
    if (!installation.isLocationSynced)
      throw new AppError("not_found", "That location is not synced by this installation.");
    const targets = installation.targets;
    if (targets.length === 0) return { targets, runIds: [] };
    const queued = await client.query<{ id: string }>(
      QUEUE_RUNS([
        installationId,
        targets,
        targets.map(() => randomUUID()),
        kind,
        trigger,
        new Date().toISOString(),
      ]),
    );
    return { targets, runIds: queued.rows.map((row) => row.id) };
  });
  try {
    await sendSyncJobs(targets.map((locationId) => ({ installationId, locationId })));
  } catch (error) {
    // The runs are queued in our table; maintenance re-sends jobs for runs left waiting.
    log.error({ installationId, err: errorSummary(error) }, "sync jobs not sent");
  }
  return { runIds };
}
