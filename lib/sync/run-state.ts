import "server-only";
import { db } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { Checkpoint } from "@/lib/sync/plan";
import type { ClaimedRun } from "@/lib/sync/run-claim";
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

/** Hands the run back as queued, to be resumed from `checkpoint` by the next job. */
export async function releaseRun(run: Held, checkpoint: Checkpoint, error: string | null = null): Promise<boolean> {
  const { count } = await db.syncRun.updateMany({
    where: heldBy(run),
    data: { status: "queued", checkpoint, phase: checkpoint.phase, error, heartbeatAt: new Date() },
  });
  return count > 0;
}

export async function failRun(run: Held, error: string): Promise<void> {
  const now = new Date();
  await db.syncRun.updateMany({ where: heldBy(run), data: { status: "failed", error, finishedAt: now, heartbeatAt: now } });
}

const SWEPT_KINDS: EntityKind[] = ["members", "companies", "locations"];

/**
 * Completes a run: for a full pass, soft-deletes what it did not see (never after a partial pass, which
 * cannot get here); moves the location's watermark; marks the run succeeded. All or nothing.
 */
export async function finishRun(run: ClaimedRun, checkpoint: Checkpoint): Promise<{ deleted: number }> {
  const now = new Date();
  return db.$transaction(async (tx) => {
    const held = await tx.syncRun.updateMany({
      where: heldBy(run),
      data: { status: "succeeded", phase: "done", checkpoint, finishedAt: now, heartbeatAt: now },
    });
    if (held.count === 0) throw new LeaseLostError();
    let deleted = 0;
    if (run.locationId && checkpoint.phases.includes("sweep")) {
      for (const kind of SWEPT_KINDS) {
        deleted += await sweepRows({
          kind,
          installationId: run.installationId,
          locationId: run.locationId,
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
        where: { installationId_locationId: { installationId: run.installationId, locationId: run.locationId } },
        select: { syncWatermark: true },
      });
      const previous = location?.syncWatermark ?? null;
      await tx.installationLocation.updateMany({
        where: { installationId: run.installationId, locationId: run.locationId },
        data: {
          syncWatermark: watermark && (!previous || watermark > previous) ? watermark : previous,
          lastSyncAt: now,
          ...(run.kind === "full" ? { lastFullSyncAt: now } : {}),
        },
      });
    }
    return { deleted };
  });
}
