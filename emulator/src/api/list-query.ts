import type { Cursor } from "../data/paginate";
import { decodeCursor } from "../data/paginate";
import type { MsRange, RecordFilter } from "../data/record-filter";
import { nestError } from "../http/errors";

// Query parameters of API v2 lists (spec §4, [DOC-QUERY], [REF-members]).

export const MAX_LIMIT = 50;

/** Extra equality filters a resource accepts, with how to read the query value. */
export type EqualityFields = Readonly<Record<string, "string" | "boolean">>;

export type ListQuery = {
  filter: RecordFilter;
  limit: number;
  cursor: Cursor | null;
  select: string[] | null;
};

const OPERATORS = ["$gte", "$gt", "$lte", "$lt"] as const;

function values(params: URLSearchParams, name: string): string[] | undefined {
  const listed = [...params.getAll(name), ...params.getAll(`${name}[$in]`)]
    .flatMap((value) => value.split(","))
    .map((value) => value.trim());
  const present = listed.filter((value) => value !== "");
  return params.has(name) || params.has(`${name}[$in]`) ? present : undefined;
}

function dateRange(params: URLSearchParams, name: string, errors: string[]): MsRange | undefined {
  let range: MsRange | undefined;
  const narrow = (min: number, max: number) => {
    range = { min: Math.max(range?.min ?? -Infinity, min), max: Math.min(range?.max ?? Infinity, max) };
  };
  for (const operator of [...OPERATORS, "$eq", ""] as const) {
    const raw = params.get(operator === "" ? name : `${name}[${operator}]`);
    if (raw === null) continue;
    const ms = Date.parse(raw);
    if (Number.isNaN(ms)) {
      errors.push(`${name}${operator ? `[${operator}]` : ""} must be a valid ISO 8601 date string`);
      continue;
    }
    if (operator === "$gte") narrow(ms, Infinity);
    else if (operator === "$gt") narrow(ms + 1, Infinity);
    else if (operator === "$lte") narrow(-Infinity, ms);
    else if (operator === "$lt") narrow(-Infinity, ms - 1);
    else narrow(ms, ms);
  }
  return range;
}

function limitOf(params: URLSearchParams, errors: string[]): number {
  const raw = params.get("$limit");
  if (raw === null) return MAX_LIMIT;
  if (!/^\d+$/.test(raw) || Number(raw) < 1) {
    errors.push("$limit must be a positive integer");
    return MAX_LIMIT;
  }
  // Larger values are capped, not refused ([DOC-QUERY]).
  return Math.min(Number(raw), MAX_LIMIT);
}

function cursorOf(params: URLSearchParams, errors: string[]): Cursor | null {
  const next = params.get("$cursorNext");
  const prev = params.get("$cursorPrev");
  if (next && prev) errors.push("$cursorNext and $cursorPrev cannot be combined");
  const raw = next || prev;
  if (!raw) return null;
  const cursor = decodeCursor(raw);
  if (!cursor) {
    errors.push(`${next ? "$cursorNext" : "$cursorPrev"} is not a valid cursor`);
    return null;
  }
  return { ...cursor, direction: next ? "next" : "prev" };
}

/** Parses a list request; invalid values answer 400 with NestJS's list of messages. */
export function parseListQuery(
  params: URLSearchParams,
  {
    equalityFields = {},
    hasLocation = true,
  }: { equalityFields?: EqualityFields; hasLocation?: boolean } = {},
): ListQuery {
  const errors: string[] = [];
  const limit = limitOf(params, errors);
  const cursor = cursorOf(params, errors);
  const ids = values(params, "_id");
  const locations = hasLocation ? values(params, "location") : undefined;
  const statuses = values(params, "status");
  const equals: Record<string, unknown> = {};
  for (const [field, type] of Object.entries(equalityFields)) {
    const raw = params.get(field);
    if (raw === null) continue;
    if (type === "boolean" && raw !== "true" && raw !== "false")
      errors.push(`${field} must be a boolean value`);
    equals[field] = type === "boolean" ? raw === "true" : raw;
  }
  const filter: RecordFilter = {
    ...(ids ? { ids: new Set(ids) } : {}),
    ...(locations ? { locations: new Set(locations) } : {}),
    ...(statuses ? { statuses: new Set(statuses) } : {}),
    createdAt: dateRange(params, "createdAt", errors),
    modifiedAt: dateRange(params, "modifiedAt", errors),
    equals,
  };
  if (errors.length > 0) throw nestError(400, errors);
  const select = params.get("$select");
  return {
    filter,
    limit,
    cursor,
    select: select ? select.split(/[,\s]+/).filter((field) => field !== "") : null,
  };
}

/** `$select`: only the named fields, always with `_id`. */
export function project<T extends { _id: string }>(record: T, select: string[] | null): Partial<T> {
  if (!select) return record;
  const fields = record as Record<string, unknown>;
  return Object.fromEntries(
    ["_id", ...select.filter((field) => field !== "_id")]
      .filter((field) => field in fields)
      .map((field) => [field, fields[field]]),
  ) as Partial<T>;
}
