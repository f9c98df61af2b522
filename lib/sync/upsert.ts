import "server-only";
import { db } from "@/lib/db";
import type { EntityKind, SyncRow } from "@/lib/sync/mapping";
import { sqlPool } from "@/lib/sql-pool";
import { sweepSql, upsertSql } from "@/lib/sync/upsert-sql";

// Executes the statements of upsert-sql.ts. Each call is one round trip: on the sync's `pg` pool, or
// on a Prisma transaction client when it must be part of a transaction.

export type WriteCounts = {
  rows: number;
  created: number;
  updated: number;
  deleted: number;
  unchanged: number;
};

export type RunProgress = {
  runId: string;
  checkpoint: unknown;
  phase: string;
  lease: string;
  totalEstimate: number | null;
  failed: number;
};

type RawClient = Pick<typeof db, "$queryRawUnsafe" | "$executeRawUnsafe">;

const SQL_CACHE = new Map<string, string>();
function cachedUpsertSql(kind: EntityKind, withRunProgress: boolean): string {
  const key = `${kind}:${withRunProgress}`;
  let sql = SQL_CACHE.get(key);
  if (!sql) SQL_CACHE.set(key, (sql = upsertSql(kind, { withRunProgress })));
  return sql;
}

export async function writeRows({
  kind,
  installationId,
  rows,
  seenByRunId = null,
  stamp = new Date(),
  observedAt = null,
  isRemoval = false,
  progress,
  client,
}: {
  kind: EntityKind;
  installationId: string;
  rows: readonly SyncRow[];
  /** Full runs mark every row they list, for the sweep. */
  seenByRunId?: string | null;
  stamp?: Date;
  /** When the rows were read from OfficeRnD (a page fetch); null for webhook payloads. */
  observedAt?: Date | null;
  isRemoval?: boolean;
  progress?: RunProgress;
  client?: RawClient;
}): Promise<WriteCounts & { isRunUpdated: boolean }> {
  const params: unknown[] = [
    installationId,
    JSON.stringify(rows),
    seenByRunId,
    stamp.toISOString(),
    observedAt?.toISOString() ?? null,
    isRemoval,
  ];
  if (progress)
    params.push(
      progress.runId,
      JSON.stringify(progress.checkpoint),
      progress.phase,
      progress.lease,
      progress.totalEstimate,
      progress.failed,
    );
  type Counts = { rows: number; created: number; updated: number; deleted: number; runUpdated: number };
  const sql = cachedUpsertSql(kind, progress !== undefined);
  const result = client
    ? await client.$queryRawUnsafe<Counts[]>(sql, ...params)
    : (await sqlPool().query<Counts>(sql, params)).rows;
  const row = result[0] ?? { rows: 0, created: 0, updated: 0, deleted: 0, runUpdated: 0 };
  return {
    rows: row.rows,
    created: row.created,
    updated: row.updated,
    deleted: row.deleted,
    unchanged: row.rows - row.created - row.updated - row.deleted,
    isRunUpdated: row.runUpdated > 0,
  };
}

/** Soft-deletes live rows of one location that a complete full pass did not see; returns how many. */
export async function sweepRows({
  kind,
  installationId,
  locationId,
  runId,
  runStartedAt,
  stamp = new Date(),
  client = db,
}: {
  kind: EntityKind;
  installationId: string;
  locationId: string;
  runId: string;
  runStartedAt: Date;
  stamp?: Date;
  client?: RawClient;
}): Promise<number> {
  return client.$executeRawUnsafe(
    sweepSql(kind),
    installationId,
    locationId,
    runId,
    stamp.toISOString(),
    runStartedAt.toISOString(),
  );
}
