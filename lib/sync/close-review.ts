import "server-only";
import type { Prisma } from "@/lib/generated/prisma/client";
import { reviewSchema, type DeletionReview } from "@/lib/sync/delete-guard";

// How a held pass of the mass-delete breaker ends: resolved by the admin or superseded by a newer pass.

/** Ends the review: the run counts as done, the sample of names is dropped (counts stay). */
export async function closeReview(
  tx: Prisma.TransactionClient,
  runId: string,
  review: DeletionReview,
  resolution: NonNullable<DeletionReview["resolution"]>,
  deleted = 0,
): Promise<void> {
  const resolved: DeletionReview = { ...review, sample: [], resolution };
  await tx.syncRun.update({
    where: { id: runId },
    data: {
      status: "succeeded",
      review: resolved as unknown as Prisma.InputJsonObject,
      deleted: { increment: deleted },
    },
  });
}

/** Older held passes of a location are replaced by a newer pass's result. */
export async function supersedeReviews(
  tx: Prisma.TransactionClient,
  {
    installationId,
    locationId,
    exceptRunId,
    now,
  }: { installationId: string; locationId: string; exceptRunId: string; now: Date },
): Promise<void> {
  const older = await tx.syncRun.findMany({
    where: { installationId, locationId, status: "needs_review", id: { not: exceptRunId } },
    select: { id: true, review: true },
  });
  for (const run of older) {
    const review = reviewSchema.safeParse(run.review);
    if (!review.success) continue;
    await closeReview(tx, run.id, review.data, {
      action: "superseded",
      actor: "system",
      at: now.toISOString(),
      deleted: 0,
    });
  }
}
