import "server-only";
import type { db } from "@/lib/db";
import { REVIEW_SAMPLE_SIZE, type DeletionReview } from "@/lib/sync/delete-guard";
import type { EntityKind } from "@/lib/sync/mapping";
import { sweepPlanSql } from "@/lib/sync/upsert-sql";

// What the sweep of a run would delete at its location, read without deleting anything.

type RawClient = Pick<typeof db, "$queryRawUnsafe">;
type Counts = Record<EntityKind, number>;

const KINDS: EntityKind[] = ["members", "companies", "locations"];

export type SweepTarget = {
  client: RawClient;
  installationId: string;
  locationId: string;
  runId: string;
  runStartedAt: Date;
};

export async function planDeletions({
  client,
  installationId,
  locationId,
  runId,
  runStartedAt,
}: SweepTarget): Promise<{
  wouldDelete: Counts;
  live: Counts;
  total: number;
  liveTotal: number;
}> {
  const wouldDelete: Counts = { members: 0, companies: 0, locations: 0 };
  const live: Counts = { members: 0, companies: 0, locations: 0 };
  for (const kind of KINDS) {
    const sql = sweepPlanSql(kind);
    const [count] = await client.$queryRawUnsafe<{ count: number }[]>(
      sql.count,
      installationId,
      locationId,
      runId,
      runStartedAt.toISOString(),
    );
    const [held] = await client.$queryRawUnsafe<{ count: number }[]>(sql.live, installationId, locationId);
    wouldDelete[kind] = count?.count ?? 0;
    live[kind] = held?.count ?? 0;
  }
  const sum = (counts: Counts) => counts.members + counts.companies + counts.locations;
  return { wouldDelete, live, total: sum(wouldDelete), liveTotal: sum(live) };
}

export async function sampleDeletions({
  client,
  installationId,
  locationId,
  runId,
  runStartedAt,
}: SweepTarget): Promise<DeletionReview["sample"]> {
  const sample: DeletionReview["sample"] = [];
  for (const kind of KINDS) {
    const left = REVIEW_SAMPLE_SIZE - sample.length;
    if (left <= 0) break;
    const rows = await client.$queryRawUnsafe<{ remoteId: string; name: string; email: string | null }[]>(
      sweepPlanSql(kind).sample,
      installationId,
      locationId,
      runId,
      runStartedAt.toISOString(),
      left,
    );
    sample.push(...rows.map((row) => ({ kind, ...row })));
  }
  return sample;
}
