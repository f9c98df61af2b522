import type { ServerResponse } from "node:http";
import type { EntityKind } from "../activity/mutations";
import type { Collection } from "../data/collection";
import { decodeCursor, paginate, type Cursor } from "../data/paginate";
import type { Identified } from "../data/record-filter";
import { nestError } from "../http/errors";
import { sendJson } from "../http/responses";
import { parseListQuery, project, type EqualityFields } from "./list-query";
import { fromV1FilterName } from "./v1-shapes";

// API v1 list pagination ([DOC-V1LIM], spec §4 "v1 pagination"): a bare JSON array, `$limit` default
// and cap 100, the next page's cursor in the `rnd-cursor-next` response header (previous page:
// `rnd-cursor-prev`), passed back as `$next` (or `$prev`). Filters use v1's names (`office`, `team`).

export const V1_MAX_LIMIT = 100;

function v1Limit(params: URLSearchParams): number {
  const raw = params.get("$limit");
  if (raw === null) return V1_MAX_LIMIT;
  if (!/^\d+$/.test(raw) || Number(raw) < 1) throw nestError(400, ["$limit must be a positive integer"]);
  return Math.min(Number(raw), V1_MAX_LIMIT);
}

function v1Cursor(params: URLSearchParams): Cursor | null {
  const next = params.get("$next");
  const prev = params.get("$prev");
  const raw = next || prev;
  if (!raw) return null;
  const cursor = decodeCursor(raw);
  if (!cursor) throw nestError(400, [`${next ? "$next" : "$prev"} is not a valid cursor`]);
  return { ...cursor, direction: next ? "next" : "prev" };
}

/** Answers one v1 list page of `collection`, each record passed through `shape`. */
export function sendV1List<T extends Identified>({
  res,
  params,
  kind,
  collection,
  shape,
  equalityFields = {},
  hasLocation = true,
}: {
  res: ServerResponse;
  params: URLSearchParams;
  kind: EntityKind | null;
  collection: Collection<T>;
  shape: (record: T) => unknown;
  equalityFields?: EqualityFields;
  hasLocation?: boolean;
}): void {
  const translated = new URLSearchParams();
  for (const [name, value] of params) {
    if (["$limit", "$next", "$prev"].includes(name) || name.startsWith("$cursor")) continue;
    translated.append(kind ? fromV1FilterName(kind, name) : name, value);
  }
  const query = parseListQuery(translated, { equalityFields, hasLocation });
  const page = paginate({
    collection,
    filter: query.filter,
    limit: v1Limit(params),
    cursor: v1Cursor(params),
  });
  const headers: Record<string, string> = {};
  // v1 cursors are the v2 ones re-labelled; the header carries the boundary of this page.
  if (page.cursorNext) headers["rnd-cursor-next"] = page.cursorNext;
  if (page.cursorPrev) headers["rnd-cursor-prev"] = page.cursorPrev;
  sendJson(
    res,
    200,
    page.results.map((record) => shape(project(record, query.select) as T)),
    headers,
  );
}
