import type { Collection } from "./collection";
import type { Identified, RecordFilter } from "./record-filter";

// API v2 cursor pagination (spec §4, [DOC-QUERY]): `$limit` ≤ 50, `$cursorNext` / `$cursorPrev`, and
// `{results, cursorNext, cursorPrev, rangeStart, rangeEnd}` with cursorNext null on the last page.
// A cursor is opaque base64url JSON holding the boundary id and the 1-based position next to it, so
// ranges need no counting and a page costs the same at record 20 as at record 1,000,000.

export type Cursor = { id: string; position: number; direction: "next" | "prev" };

type PageRequest<T extends Identified> = {
  collection: Collection<T>;
  filter: RecordFilter;
  limit: number;
  cursor: Cursor | null;
};

export type Page<T> = {
  results: T[];
  cursorNext: string | null;
  cursorPrev: string | null;
  rangeStart: number;
  rangeEnd: number;
};

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify({ id: cursor.id, p: cursor.position, d: cursor.direction })).toString(
    "base64url",
  );
}

export function decodeCursor(text: string): Cursor | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(text, "base64url").toString("utf8"));
    if (typeof value !== "object" || value === null) return undefined;
    const { id, p, d } = value as Record<string, unknown>;
    if (typeof id !== "string" || typeof p !== "number" || !Number.isInteger(p) || p < 0) return undefined;
    if (d !== "next" && d !== "prev") return undefined;
    return { id, position: p, direction: d };
  } catch {
    return undefined;
  }
}

function take<T>(items: Iterator<T>, count: number): T[] {
  const taken: T[] = [];
  while (taken.length < count) {
    const item = items.next();
    if (item.done) break;
    taken.push(item.value);
  }
  return taken;
}

export function paginate<T extends Identified>({
  collection,
  filter,
  limit,
  cursor,
}: PageRequest<T>): Page<T> {
  if (cursor?.direction === "prev") return pageBefore({ collection, filter, limit, cursor });
  // One record more than asked tells whether another page follows.
  const found = take(collection.scan(filter, { direction: "forward", after: cursor?.id }), limit + 1);
  const results = found.slice(0, limit);
  const first = results[0];
  const last = results[results.length - 1];
  if (!first || !last) return { results, cursorNext: null, cursorPrev: null, rangeStart: 0, rangeEnd: 0 };
  const rangeStart = (cursor?.position ?? 0) + 1;
  const rangeEnd = rangeStart + results.length - 1;
  return {
    results,
    cursorNext:
      found.length > limit ? encodeCursor({ id: last._id, position: rangeEnd, direction: "next" }) : null,
    cursorPrev: cursor ? encodeCursor({ id: first._id, position: rangeStart, direction: "prev" }) : null,
    rangeStart,
    rangeEnd,
  };
}

// Only reached with a `$cursorPrev`, so the cursor is always there.
function pageBefore<T extends Identified>({
  collection,
  filter,
  limit,
  cursor,
}: PageRequest<T> & { cursor: Cursor }): Page<T> {
  const found = take(collection.scan(filter, { direction: "backward", before: cursor.id }), limit + 1);
  const results = found.slice(0, limit).reverse();
  const first = results[0];
  const last = results[results.length - 1];
  if (!first || !last) return { results, cursorNext: null, cursorPrev: null, rangeStart: 0, rangeEnd: 0 };
  const hasEarlier = found.length > limit;
  // Without earlier records this is the first page, whatever position the cursor remembered.
  const rangeStart = hasEarlier ? Math.max(cursor.position - results.length, 1) : 1;
  const rangeEnd = rangeStart + results.length - 1;
  return {
    results,
    cursorNext: encodeCursor({ id: last._id, position: rangeEnd, direction: "next" }),
    cursorPrev: hasEarlier ? encodeCursor({ id: first._id, position: rangeStart, direction: "prev" }) : null,
    rangeStart,
    rangeEnd,
  };
}
