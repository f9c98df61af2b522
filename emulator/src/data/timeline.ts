// Timestamps of generated records. createdAt grows with the index, and modifiedAt lags createdAt by
// less than MODIFIED_LAG_MS, so a date filter maps to an index window by binary search and a
// `modifiedAt[$gte]` after GENERATED_DATA_CUTOFF skips every generated record without looking at it.

const DAY_MS = 86_400_000;

export const GENERATED_FROM_MS = Date.UTC(2019, 0, 1);
const GENERATED_UNTIL_MS = Date.UTC(2024, 11, 1);
export const MODIFIED_LAG_MS = 30 * DAY_MS;
/** Every generated record was created and last modified before this instant (2025-01-01). */
export const GENERATED_DATA_CUTOFF_MS = Date.UTC(2025, 0, 1);

/** createdAt of record `index` out of `count`, spread evenly over 2019-01-01 … 2024-12-01. */
export function generatedCreatedAtMs({ index, count }: { index: number; count: number }): number {
  const step = (GENERATED_UNTIL_MS - GENERATED_FROM_MS) / Math.max(count, 1);
  return GENERATED_FROM_MS + Math.floor(index * step);
}

/** modifiedAt from createdAt and a hash: about a third were never modified after creation. */
export function generatedModifiedAtMs({ createdAtMs, hash }: { createdAtMs: number; hash: number }): number {
  if (hash % 3 === 0) return createdAtMs;
  return createdAtMs + (hash % MODIFIED_LAG_MS);
}

/** First index in [0, count) for which a monotone (false…false, true…true) test holds; count when none. */
export function firstIndexWhere({
  count,
  test,
}: {
  count: number;
  test: (index: number) => boolean;
}): number {
  let low = 0;
  let high = count;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (test(middle)) high = middle;
    else low = middle + 1;
  }
  return low;
}

export function isoDate(ms: number): string {
  return new Date(ms).toISOString();
}

/** Midnight UTC of the day, as OfficeRnD stores date-only fields such as startDate. */
export function isoDay(ms: number): string {
  return new Date(ms - (ms % DAY_MS)).toISOString();
}
