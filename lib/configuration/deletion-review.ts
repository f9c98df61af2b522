import "server-only";
import { recordAudit } from "@/lib/audit/record-audit";
import type { ConfigureViewer } from "@/lib/configuration/access";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { closeReview } from "@/lib/sync/close-review";
import { reviewSchema, type DeletionReview } from "@/lib/sync/delete-guard";
import type { EntityKind } from "@/lib/sync/mapping";
import { lockLocation } from "@/lib/sync/run-claim";
import { sweepRows } from "@/lib/sync/upsert";

// The admin's side of the mass-delete breaker: passes waiting for review, "Apply deletions" / "Keep
// records" (audited). Only the location's newest full pass may be applied: a later pass re-marks what it saw.

export type PendingReview = {
  runId: string;
  locationId: string;
  locationName: string;
  finishedAt: Date | null;
  review: DeletionReview;
};

const SWEPT_KINDS: EntityKind[] = ["members", "companies", "locations"];

/** Passes of the installation waiting for review, newest first (one per location at most). */
export async function listPendingReviews(viewer: ConfigureViewer): Promise<PendingReview[]> {
  const runs = await db.syncRun.findMany({
    where: { installationId: viewer.installationId, status: "needs_review" },
    orderBy: { finishedAt: "desc" },
    select: { id: true, locationId: true, finishedAt: true, review: true },
  });
  const locations = await db.installationLocation.findMany({
    where: { installationId: viewer.installationId },
    select: { locationId: true, name: true },
  });
  const names = new Map(locations.map((location) => [location.locationId, location.name]));
  const seen = new Set<string>();
  const pending: PendingReview[] = [];
  for (const run of runs) {
    const review = reviewSchema.safeParse(run.review);
    if (!run.locationId || seen.has(run.locationId) || !review.success) continue;
    seen.add(run.locationId);
    pending.push({
      runId: run.id,
      locationId: run.locationId,
      locationName: names.get(run.locationId) ?? run.locationId,
      finishedAt: run.finishedAt,
      review: review.data,
    });
  }
  return pending;
}

export type ReviewDecision = "apply" | "keep";

/** Resolves a held pass: delete what it would have deleted, or keep every record. Audited. */
export async function resolveDeletionReview({
  viewer,
  runId,
  decision,
  now = new Date(),
}: {
  viewer: ConfigureViewer;
  runId: string;
  decision: ReviewDecision;
  now?: Date;
}): Promise<{ deleted: number; kept: number }> {
  if (!viewer.canEdit) throw new AppError("forbidden", "You may view this configuration but not change it.");
  return db.$transaction(async (tx) => {
    const [run] = await tx.$queryRaw<
      { id: string; locationId: string | null; startedAt: Date | null; status: string; review: unknown }[]
    >`
      SELECT "id", "locationId", "startedAt", "status", "review" FROM "SyncRun"
      WHERE "id" = ${runId} AND "installationId" = ${viewer.installationId} FOR UPDATE`;
    if (!run || !run.locationId || !run.startedAt) throw new AppError("not_found", "No such sync run.");
    if (run.status !== "needs_review") throw new AppError("conflict", "This sync was already reviewed.");
    const review = reviewSchema.parse(run.review);
    const locationId = run.locationId;
    await lockLocation(tx, viewer.installationId, locationId);

    let deleted = 0;
    if (decision === "apply") {
      const newer = await tx.syncRun.count({
        where: {
          installationId: viewer.installationId,
          locationId,
          kind: "full",
          id: { not: run.id },
          startedAt: { gt: run.startedAt },
        },
      });
      if (newer > 0) {
        await closeReview(tx, run.id, review, {
          action: "superseded",
          actor: viewer.actor,
          at: now.toISOString(),
          deleted: 0,
        });
        throw new AppError(
          "conflict",
          "A newer sync of this location has run since: its result replaces this review.",
        );
      }
      for (const kind of SWEPT_KINDS) {
        deleted += await sweepRows({
          kind,
          installationId: viewer.installationId,
          locationId,
          runId: run.id,
          runStartedAt: run.startedAt,
          stamp: now,
          client: tx,
        });
      }
      await tx.installationLocation.updateMany({
        where: { installationId: viewer.installationId, locationId },
        data: { lastFullSyncAt: now },
      });
    }
    await closeReview(
      tx,
      run.id,
      review,
      {
        action: decision === "apply" ? "applied" : "kept",
        actor: viewer.actor,
        at: now.toISOString(),
        deleted,
      },
      deleted,
    );
    const name = (
      await tx.installationLocation.findFirst({
        where: { installationId: viewer.installationId, locationId },
        select: { name: true },
      })
    )?.name;
    await recordAudit(
      {
        accountId: viewer.accountId,
        installationId: viewer.installationId,
        actor: viewer.actor,
        action: decision === "apply" ? "sync.deletions_applied" : "sync.deletions_kept",
        before: {
          runId: run.id,
          locationId,
          name: name ?? null,
          wouldDelete: review.wouldDelete,
          total: review.total,
          percent: review.percent,
        },
        after: {
          runId: run.id,
          locationId,
          name: name ?? null,
          deleted,
          kept: decision === "keep" ? review.total : review.total - deleted,
        },
      },
      tx,
    );
    return { deleted, kept: decision === "keep" ? review.total : Math.max(review.total - deleted, 0) };
  });
}
