import "server-only";
import { db } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { Checkpoint } from "@/lib/sync/plan";
import type { ClaimedRun } from "@/lib/sync/run-claim";
import { env } from "@/lib/env";
import { isMassDeletion, sharePercent, type DeleteGuard, type DeletionReview } from "@/lib/sync/delete-guard";
import { supersedeReviews } from "@/lib/sync/close-review";
import { planDeletions, sampleDeletions } from "@/lib/sync/sweep-plan";
import { sweepRows } from "@/lib/sync/upsert";
import type { EntityKind } from "@/lib/sync/mapping";

// Writes to a claimed run, each guarded by its lease: heartbeats, handing it back (time slice or a
// failed attempt), failing it, and finishing it (sweep, watermark and status in one transaction).

export class LeaseLostError extends Error {
  constructor() {
    super("The run was cancelled or taken over by another worker.");
    this.name = "LeaseLostError";
  }
}

type Held = Pick<ClaimedRun, "id" | "checkpoint">;

function heldBy(run: Held): Prisma.SyncRunWhereInput {
  return { id: run.id, status: "running", checkpoint: { path: ["lease"], equals: run.checkpoint.lease } };
}

/** Records that the worker is alive; false when the lease is gone (cancelled or taken over). */
export async function beat(run: Held, now = new Date()): Promise<boolean> {
  const { count } = await db.syncRun.updateMany({ where: heldBy(run), data: { heartbeatAt: now } });
  return count > 0;
}

export async function releaseRun(
  run: Held,
  checkpoint: Checkpoint,
  error: string | null = null,
): Promise<boolean> {
  const { count } = await db.syncRun.updateMany({
    where: heldBy(run),
    data: { status: "queued", checkpoint, phase: checkpoint.phase, error, heartbeatAt: new Date() },
  });
  return count > 0;
}

export async function failRun(run: Held, error: string): Promise<void> {
  const now = new Date();
  await db.syncRun.updateMany({
    where: heldBy(run),
    data: { status: "failed", error, finishedAt: now, heartbeatAt: now },
  });
}

const SWEPT_KINDS: EntityKind[] = ["members", "companies", "locations"];

export type FinishResult = { deleted: number; needsReview: boolean };

/**
 * Completes a run, all or nothing: a full pass soft-deletes what it did not see, the watermark moves, the
 * run succeeds. A pass that would delete too much (delete-guard.ts) deletes nothing and ends
 * "needs_review" with the numbers and a sample for the admin.
 */
export async function finishRun(
  run: ClaimedRun,
  checkpoint: Checkpoint,
  guard: DeleteGuard = envGuard(),
): Promise<FinishResult> {
  const now = new Date();
  return db.$transaction(
    async (tx) => {
      const isSweep = run.locationId !== null && checkpoint.phases.includes("sweep");
      const review = isSweep ? await planSweep(tx, run, guard, now) : null;
      const needsReview = review !== null;
      const held = await tx.syncRun.updateMany({
        where: heldBy(run),
        data: {
          status: needsReview ? "needs_review" : "succeeded",
          phase: "done",
          checkpoint,
          finishedAt: now,
          heartbeatAt: now,
          ...(review ? { review: review as unknown as Prisma.InputJsonObject } : {}),
        },
      });
      if (held.count === 0) throw new LeaseLostError();
      if (isSweep)
        await supersedeReviews(tx, {
          installationId: run.installationId,
          locationId: run.locationId!,
          exceptRunId: run.id,
          now,
        });
      let deleted = 0;
      if (isSweep && !needsReview) {
        for (const kind of SWEPT_KINDS) {
          deleted += await sweepRows({
            kind,
            installationId: run.installationId,
            locationId: run.locationId!,
            runId: run.id,
            runStartedAt: run.startedAt,
            stamp: now,
            client: tx,
          });
        }
      }
      await tx.$executeRaw`UPDATE "SyncRun" SET "deleted" = "deleted" + ${deleted}, "total" = "done" WHERE "id" = ${run.id}`;
      if (run.locationId) {
        const watermark = checkpoint.maxModifiedAt ? new Date(checkpoint.maxModifiedAt) : null;
        const location = await tx.installationLocation.findUnique({
          where: {
            installationId_locationId: { installationId: run.installationId, locationId: run.locationId },
          },
          select: { syncWatermark: true },
        });
        const previous = location?.syncWatermark ?? null;
        await tx.installationLocation.updateMany({
          where: { installationId: run.installationId, locationId: run.locationId },
          data: {
            syncWatermark: watermark && (!previous || watermark > previous) ? watermark : previous,
            lastSyncAt: now,
            // A pass held for review is not a complete full pass: the next automatic run is full again.
            ...(run.kind === "full" && !needsReview ? { lastFullSyncAt: now } : {}),
          },
        });
      }
      return { deleted, needsReview };
    },
    // Prisma's default is 5 s; the sweep marks every row of the location in here. At 110,000 rows per
    // location (bench:sync, 1M members) it took 5–8 s and every attempt expired.
    { timeout: FINISH_TIMEOUT_MS },
  );
}

const FINISH_TIMEOUT_MS = 120_000;

function envGuard(): DeleteGuard {
  const { SYNC_DELETE_GUARD_PERCENT, SYNC_DELETE_GUARD_MAX } = env();
  return { percent: SYNC_DELETE_GUARD_PERCENT, max: SYNC_DELETE_GUARD_MAX };
}

/** The review of what the sweep would delete, or null when it may go ahead. */
async function planSweep(
  tx: Prisma.TransactionClient,
  run: ClaimedRun,
  guard: DeleteGuard,
  now: Date,
): Promise<DeletionReview | null> {
  const plan = await planDeletions({
    client: tx,
    installationId: run.installationId,
    locationId: run.locationId!,
    runId: run.id,
    runStartedAt: run.startedAt,
  });
  if (!isMassDeletion({ wouldDelete: plan.total, live: plan.liveTotal, guard })) return null;
  const sample = await sampleDeletions({
    client: tx,
    installationId: run.installationId,
    locationId: run.locationId!,
    runId: run.id,
    runStartedAt: run.startedAt,
  });
  return {
    live: plan.live,
    wouldDelete: plan.wouldDelete,
    total: plan.total,
    percent: sharePercent(plan.total, plan.liveTotal),
    guard,
    sample,
    detectedAt: now.toISOString(),
    resolution: null,
  };
}
