import { z } from "zod";

// Pure: the mass-delete breaker (issue 13 part 2). A full pass that would delete more than `percent` %
// of a location's live records, or more than `max` records, deletes nothing and waits for review: an
// OfficeRnD answering an empty list in the middle of a pass must not empty the partner's copy.

/** Below this many deletions the percentage does not trip: one leaving a 3-member location is 33 %. */
export const MIN_GUARDED_DELETIONS = 5;
/** Records named in the review panel. */
export const REVIEW_SAMPLE_SIZE = 10;

export type DeleteGuard = { percent: number; max: number };

export function isMassDeletion({
  wouldDelete,
  live,
  guard,
}: {
  wouldDelete: number;
  live: number;
  guard: DeleteGuard;
}): boolean {
  if (wouldDelete > guard.max) return true;
  if (wouldDelete < MIN_GUARDED_DELETIONS) return false;
  return wouldDelete * 100 > live * guard.percent;
}

const kindCounts = z.object({ members: z.int(), companies: z.int(), locations: z.int() });

export const reviewSchema = z.object({
  live: kindCounts,
  wouldDelete: kindCounts,
  total: z.int(),
  /** Share of the location's live records, in % (one decimal). */
  percent: z.number(),
  guard: z.object({ percent: z.number(), max: z.int() }),
  /** A few of the records that would go (cleared once resolved: the review keeps counts only). */
  sample: z.array(
    z.object({
      kind: z.enum(["members", "companies", "locations"]),
      remoteId: z.string(),
      name: z.string(),
      email: z.string().nullable(),
    }),
  ),
  detectedAt: z.string(),
  resolution: z
    .object({
      action: z.enum(["applied", "kept", "superseded"]),
      actor: z.string(),
      at: z.string(),
      deleted: z.int(),
    })
    .nullable()
    .default(null),
});

export type DeletionReview = z.infer<typeof reviewSchema>;

export function sharePercent(wouldDelete: number, live: number): number {
  return live === 0 ? 100 : Math.round((wouldDelete * 1000) / live) / 10;
}
