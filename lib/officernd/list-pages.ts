import { normalizeRecord } from "@/lib/officernd/v1-records";
import { RECORD_SCHEMAS, type Page, type RecordKind, type RecordOf } from "@/lib/officernd/v2-schemas";
import type { ApiGeneration } from "@/lib/officernd/api-generation";
import { describeIssues } from "@/lib/officernd/zod-issues";

// List pages of both API generations, pure. Callers build one query in v2's dialect (`$limit`,
// `$cursorNext`, `location`, `status[$in]`, `modifiedAt[$gte]`); each answer becomes one Page of the model.
// - v2: `{results, cursorNext}`, `$limit` ≤ 50 ([DOC-QUERY]).
// - v1: a bare array, `$limit` ≤ 100, `rnd-cursor-next` sent back as `$next` ([DOC-V1LIM]).
// v1's filters are undocumented: `location` becomes `office` and `status[$in]` is left out; every page is
// also filtered here by the `_id` and `location` asked for, so a filter OfficeRnD ignores can never put
// another location's records into this one's copy (where they would be tombstoned).

export const V2_PAGE_LIMIT = 50;
export const V1_PAGE_LIMIT = 100;
/** v1 cursors are tagged, so a checkpoint taken under one generation is never sent to the other. */
const V1_CURSOR_PREFIX = "v1:";

export function queryFor({
  generation,
  kind,
  query,
}: {
  generation: ApiGeneration;
  kind: RecordKind | "webhooks";
  query: URLSearchParams;
}): URLSearchParams {
  const out = new URLSearchParams();
  const cursor = query.get("$cursorNext");
  for (const [key, value] of query) {
    if (key === "$cursorNext" || key === "$cursorPrev" || key === "$limit") continue;
    if (generation === "v1" && key.startsWith("status")) continue;
    if (generation === "v1" && (kind === "members" || kind === "companies") && key.startsWith("location")) {
      out.append(`office${key.slice("location".length)}`, value);
      continue;
    }
    out.append(key, value);
  }
  // The caller's `$limit` is v2's page size; v1 pages are as large as v1 allows (half the calls).
  const asked = Number(query.get("$limit") ?? NaN);
  out.set(
    "$limit",
    String(
      generation === "v1"
        ? V1_PAGE_LIMIT
        : Number.isInteger(asked) && asked > 0
          ? Math.min(asked, V2_PAGE_LIMIT)
          : V2_PAGE_LIMIT,
    ),
  );
  // A cursor of the other generation cannot be followed: the phase starts again from its first page.
  if (cursor && generation === "v1" && cursor.startsWith(V1_CURSOR_PREFIX))
    out.set("$next", cursor.slice(V1_CURSOR_PREFIX.length));
  if (cursor && generation === "v2" && !cursor.startsWith(V1_CURSOR_PREFIX)) out.set("$cursorNext", cursor);
  return out;
}

export type ListReply = { body: unknown; headers: Headers };
export type ParsedPage<T> = Page<T> & { skipped: number; problems: string[] };

/** A bare (v1) page holding `limit` items and no `rnd-cursor-next`: the last page, or a list cut off? */
export function isFullPageWithoutCursor(reply: ListReply, limit: number): boolean {
  return Array.isArray(reply.body) && reply.body.length === limit && !reply.headers.get("rnd-cursor-next");
}

/** The items of a list answer and its next cursor, or a reason the answer cannot be trusted. */
export function pageItems({
  generation,
  reply,
  limit,
}: {
  generation: ApiGeneration;
  reply: ListReply;
  limit: number;
}): { items: unknown[]; cursorNext: string | null } | { problem: string } {
  const { body, headers } = reply;
  let items: unknown[];
  let cursorNext: string | null;
  if (Array.isArray(body)) {
    items = body;
    const header = headers.get("rnd-cursor-next");
    cursorNext = header ? `${V1_CURSOR_PREFIX}${header}` : null;
  } else if (body && typeof body === "object" && Array.isArray((body as { results?: unknown }).results)) {
    const page = body as { results: unknown[]; cursorNext?: unknown };
    items = page.results;
    if (page.cursorNext !== undefined && page.cursorNext !== null && typeof page.cursorNext !== "string")
      return { problem: "cursorNext: expected a string or null" };
    cursorNext = page.cursorNext
      ? generation === "v1"
        ? `${V1_CURSOR_PREFIX}${page.cursorNext}`
        : page.cursorNext
      : null;
  } else {
    return { problem: "(root): expected a list (a JSON array or {results, cursorNext})" };
  }
  // A full page with no way to the next one: more records may exist. Treating it as the last page would
  // let the sweep tombstone everything after it, so the answer is refused instead.
  if (cursorNext === null && Array.isArray(body) && items.length === limit)
    return { problem: `a full page of ${limit} without rnd-cursor-next` };
  return { items, cursorNext };
}

/** Items parsed one by one (one odd record does not sink the page), v1 names mapped, foreign ones dropped. */
export function parsePage<K extends RecordKind>({
  kind,
  items,
  cursorNext,
  query,
}: {
  kind: K;
  items: unknown[];
  cursorNext: string | null;
  query: URLSearchParams;
}): ParsedPage<RecordOf<K>> {
  const schema = RECORD_SCHEMAS[kind];
  const wantedId = query.get("_id");
  const wantedLocation = kind === "locations" ? null : query.get("location");
  const results: RecordOf<K>[] = [];
  const problems: string[] = [];
  let invalid = 0;
  let skipped = 0;
  items.forEach((item, index) => {
    const parsed = schema.safeParse(normalizeRecord(kind, item));
    if (!parsed.success) {
      invalid++;
      if (problems.length < 3) problems.push(`results.${index}: ${describeIssues(parsed.error)}`);
      return;
    }
    const record = parsed.data as RecordOf<K> & { location?: string | null };
    if (
      (wantedId !== null && record._id !== wantedId) ||
      (wantedLocation !== null && record.location !== wantedLocation)
    ) {
      skipped++;
      return;
    }
    results.push(record);
  });
  return { results, cursorNext, invalid, skipped, problems };
}
