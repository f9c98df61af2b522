import type { RecordSource } from "./record-source";
import { traitsMayMatch, matchesFilter, type Identified, type RecordFilter } from "./record-filter";
import { firstIndexWhere } from "./timeline";

export type ScanDirection = "forward" | "backward";

/** Where a scan starts: strictly after `after` going forward, strictly before `before` going backward. */
export type ScanPosition = { direction: ScanDirection; after?: string; before?: string };

/**
 * The half-open index window [low, high) that can hold records matching the filter's date ranges.
 * createdAt does not decrease with the index and modifiedAt trails it by less than the source's lag.
 */
function indexWindow<T extends Identified>(source: RecordSource<T>, filter: RecordFilter): [number, number] {
  const createdAtOf = (index: number) => source.traitsOf(index).createdAtMs;
  const firstCreatedFrom = (ms: number) =>
    firstIndexWhere({ count: source.count, test: (index) => createdAtOf(index) >= ms });
  let low = 0;
  let high = source.count;
  if (filter.createdAt) {
    low = Math.max(low, firstCreatedFrom(filter.createdAt.min));
    high = Math.min(high, firstCreatedFrom(filter.createdAt.max + 1));
  }
  if (filter.modifiedAt) {
    low = Math.max(low, firstCreatedFrom(filter.modifiedAt.min - source.maxModifiedLagMs + 1));
    high = Math.min(high, firstCreatedFrom(filter.modifiedAt.max + 1));
  }
  return [low, high];
}

/** Location slots the filter allows, or undefined for all of them. */
function allowedSlots<T extends Identified>(
  source: RecordSource<T>,
  filter: RecordFilter,
): number[] | undefined {
  if (!filter.locations) return undefined;
  return source.slotIds.flatMap((id, slot) => (filter.locations?.has(id) ? [slot] : []));
}

function* indexesInSlots({
  from,
  to,
  step,
  stride,
  slots,
}: {
  from: number;
  to: number;
  step: 1 | -1;
  stride: number;
  slots: number[] | undefined;
}) {
  const isInside = (index: number) => (step === 1 ? index < to : index >= to);
  if (slots?.length === 1 && slots[0] !== undefined) {
    // One location: jump straight from one of its records to the next.
    const slot = slots[0];
    const offset = (((slot - from) % stride) + stride) % stride;
    const start = step === 1 ? from + offset : from - ((stride - offset) % stride);
    for (let index = start; isInside(index); index += step * stride) yield index;
    return;
  }
  const allowed = slots ? new Set(slots) : undefined;
  for (let index = from; isInside(index); index += step) {
    if (!allowed || allowed.has(index % stride)) yield index;
  }
}

/** Generated records matching the filter in id order, skipping those the overlay replaced or removed. */
export function* scanGenerated<T extends Identified>({
  source,
  filter,
  position,
  isOverridden,
}: {
  source: RecordSource<T>;
  filter: RecordFilter;
  position: ScanPosition;
  isOverridden: (id: string) => boolean;
}): Generator<T> {
  const slots = allowedSlots(source, filter);
  if (slots?.length === 0 || source.count === 0) return;
  const [low, high] = indexWindow(source, filter);
  const firstAbove = (id: string) =>
    firstIndexWhere({ count: source.count, test: (index) => source.idOf(index) > id });
  const firstAtOrAbove = (id: string) =>
    firstIndexWhere({ count: source.count, test: (index) => source.idOf(index) >= id });
  const forward = position.direction === "forward";
  const from = forward
    ? Math.max(low, position.after ? firstAbove(position.after) : 0)
    : Math.min(high, position.before ? firstAtOrAbove(position.before) : high) - 1;
  const to = forward ? high : low;
  const stride = Math.max(source.slotIds.length, 1);
  for (const index of indexesInSlots({ from, to, step: forward ? 1 : -1, stride, slots })) {
    const id = source.idOf(index);
    if (isOverridden(id)) continue;
    if (!traitsMayMatch(source.traitsOf(index), filter)) continue;
    const record = source.build(index);
    if (matchesFilter(record, filter)) yield record;
  }
}
