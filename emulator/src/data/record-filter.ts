// Filters of API v2 lists (spec §4: `_id`, `location`, `status`/`status[$in]`, `createdAt`/`modifiedAt`
// with `$gt/$gte/$lt/$lte`, plus equality on a few fields), as one predicate over built records.

export type Identified = { _id: string };

/** An inclusive range of epoch milliseconds. */
export type MsRange = { min: number; max: number };

export type RecordFilter = {
  ids?: ReadonlySet<string>;
  locations?: ReadonlySet<string>;
  statuses?: ReadonlySet<string>;
  createdAt?: MsRange;
  modifiedAt?: MsRange;
  /** Equality on other top-level fields, e.g. `{ company: "…" }` or `{ isOpen: true }`. */
  equals?: Readonly<Record<string, unknown>>;
};

export const EVERYTHING: RecordFilter = {};

function inRange(range: MsRange | undefined, iso: unknown): boolean {
  if (!range) return true;
  if (typeof iso !== "string") return false;
  const ms = Date.parse(iso);
  return ms >= range.min && ms <= range.max;
}

export function matchesFilter(record: Identified, filter: RecordFilter): boolean {
  const fields = record as Identified & Record<string, unknown>;
  if (filter.ids && !filter.ids.has(record._id)) return false;
  if (filter.locations && !filter.locations.has(String(fields.location))) return false;
  if (filter.statuses && !filter.statuses.has(String(fields.status))) return false;
  if (!inRange(filter.createdAt, fields.createdAt)) return false;
  if (!inRange(filter.modifiedAt, fields.modifiedAt)) return false;
  for (const [key, value] of Object.entries(filter.equals ?? {})) {
    if (fields[key] !== value) return false;
  }
  return true;
}

/** The cheap part of the filter, checked on generated traits before a record is built. */
export function traitsMayMatch(
  traits: { status: string | null; createdAtMs: number; modifiedAtMs: number },
  filter: RecordFilter,
): boolean {
  if (filter.statuses && !filter.statuses.has(String(traits.status))) return false;
  if (
    filter.createdAt &&
    (traits.createdAtMs < filter.createdAt.min || traits.createdAtMs > filter.createdAt.max)
  )
    return false;
  if (
    filter.modifiedAt &&
    (traits.modifiedAtMs < filter.modifiedAt.min || traits.modifiedAtMs > filter.modifiedAt.max)
  )
    return false;
  return true;
}
