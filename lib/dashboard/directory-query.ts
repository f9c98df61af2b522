import { z } from "zod";

// Pure: the directory's URL state (what to list, search, sort, filters, page cursor) and its keyset
// cursors. A cursor names the last (or first) row shown: its sort value, installation and remote id,
// which together are unique, so pages never skip or repeat rows while data changes underneath.

export const DIRECTORY_PAGE_SIZE = 25;
export const DIRECTORY_KINDS = ["members", "companies"] as const;
export const DIRECTORY_SORTS = ["name", "-name", "-updated"] as const;

export type DirectoryKind = (typeof DIRECTORY_KINDS)[number];
export type DirectorySort = (typeof DIRECTORY_SORTS)[number];
/** [sort value (name, or updatedAt as ISO), installationId, remoteId] */
export type DirectoryCursor = { value: string; installationId: string; remoteId: string };

export type DirectoryQuery = {
  kind: DirectoryKind;
  q: string;
  sort: DirectorySort;
  locationId: string | null;
  status: string | null;
  after: DirectoryCursor | null;
  before: DirectoryCursor | null;
};

const cursorTuple = z.tuple([z.string().max(500), z.string().max(100), z.string().max(100)]);

export function encodeCursor(cursor: DirectoryCursor): string {
  return Buffer.from(JSON.stringify([cursor.value, cursor.installationId, cursor.remoteId])).toString(
    "base64url",
  );
}

/** Null for anything that is not a cursor we made: a bad link shows the first page, not an error. */
export function decodeCursor(raw: string | undefined): DirectoryCursor | null {
  if (!raw || raw.length > 1000) return null;
  try {
    const parsed = cursorTuple.safeParse(JSON.parse(Buffer.from(raw, "base64url").toString("utf8")));
    if (!parsed.success) return null;
    const [value, installationId, remoteId] = parsed.data;
    return { value, installationId, remoteId };
  } catch {
    return null;
  }
}

const single = z.preprocess((value) => (Array.isArray(value) ? value[0] : value), z.string().optional());
const optionalId = single.transform((value) => (value && /^[\w-]{1,100}$/.test(value) ? value : null));

const querySchema = z.object({
  kind: single.transform((value): DirectoryKind =>
    (DIRECTORY_KINDS as readonly string[]).includes(value ?? "") ? (value as DirectoryKind) : "members",
  ),
  q: single.transform((value) => (value ?? "").trim().slice(0, 100)),
  sort: single.transform((value): DirectorySort =>
    (DIRECTORY_SORTS as readonly string[]).includes(value ?? "") ? (value as DirectorySort) : "name",
  ),
  location: optionalId,
  status: optionalId,
  after: single.transform(decodeCursor),
  before: single.transform(decodeCursor),
});

/** Lenient by design: every malformed parameter falls back to its default. */
export function parseDirectoryQuery(
  searchParams: Record<string, string | string[] | undefined>,
): DirectoryQuery {
  const parsed = querySchema.parse(searchParams);
  return {
    kind: parsed.kind,
    q: parsed.q,
    sort: parsed.sort,
    locationId: parsed.location,
    // Statuses are member statuses: companies are not filtered by them.
    status: parsed.kind === "members" ? parsed.status : null,
    // Both at once is not a link we make; the forward cursor wins.
    after: parsed.after,
    before: parsed.after ? null : parsed.before,
  };
}

/** The URL search string for a directory view (only non-default values), for links. */
export function directoryHref(
  base: { account: string; path: string },
  query: Partial<DirectoryQuery>,
): string {
  const params = new URLSearchParams({ account: base.account });
  if (query.kind && query.kind !== "members") params.set("kind", query.kind);
  if (query.q) params.set("q", query.q);
  if (query.sort && query.sort !== "name") params.set("sort", query.sort);
  if (query.locationId) params.set("location", query.locationId);
  if (query.status) params.set("status", query.status);
  if (query.after) params.set("after", encodeCursor(query.after));
  if (query.before) params.set("before", encodeCursor(query.before));
  return `${base.path}?${params.toString()}`;
}
