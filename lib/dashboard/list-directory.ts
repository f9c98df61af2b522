import "server-only";
import { Prisma } from "@/lib/generated/prisma/client";
import { db } from "@/lib/db";
import { accountInstallationIds, requireAccountMember } from "@/lib/dashboard/account-scope";
import {
  DIRECTORY_PAGE_SIZE,
  type DirectoryCursor,
  type DirectoryQuery,
} from "@/lib/dashboard/directory-query";
import { listAccountLocations, type LocationName } from "@/lib/dashboard/list-account-locations";

// The synced directory (members or companies of the account's live installations), searched, sorted
// and paginated in SQL with a keyset (LIMIT n+1 after the cursor row), so page 4,000 of 100,000
// members costs the same as page 1. Every sort orders all keys in one direction, so the cursor test
// is a single row comparison: (sortKey, installationId, remoteId) > (…).

export type DirectoryRow = {
  installationId: string;
  remoteId: string;
  name: string;
  email: string | null;
  status: string | null;
  locationId: string | null;
  locationName: string | null;
  orgName: string;
  /** The installation was disconnected: its synced copy is kept (as Disconnect promises) and still listed. */
  isDisconnected: boolean;
  /** As the location's field mapping made it; for rows mapped before mappings existed, the company's name. */
  companyName: string | null;
  /** Tags as mapped (e.g. OfficeRnD tags, or the status when the mapping says so). */
  tags: string[];
  updatedAt: Date;
};

export type DirectoryPage = {
  rows: DirectoryRow[];
  total: number;
  /** 1-based position of the first row shown among all matches ("26–50 of 145"); 0 when there are none. */
  firstPosition: number;
  next: DirectoryCursor | null;
  previous: DirectoryCursor | null;
  locations: LocationName[];
};

type RawRow = Omit<DirectoryRow, "locationName" | "orgName" | "companyName" | "isDisconnected" | "tags"> & {
  companyId: string | null;
  mapped: { company?: unknown; tags?: unknown } | null;
};

const TABLES = { members: Prisma.raw(`"Member"`), companies: Prisma.raw(`"Company"`) } as const;
const SORT_KEYS = { name: `"name"`, "-name": `"name"`, "-updated": `"updatedAt"` } as const;

/** One page of the directory, for a member of the account (AppError `forbidden` otherwise). */
export async function listDirectory({
  userId,
  accountId,
  query,
}: {
  userId: string;
  accountId: string;
  query: DirectoryQuery;
}): Promise<DirectoryPage> {
  await requireAccountMember({ userId, accountId });
  // Disconnected installations too: Disconnect keeps the synced data, so the directory keeps showing it.
  const installationIds = await accountInstallationIds({ accountId });
  const locations = await listAccountLocations(installationIds);
  if (installationIds.length === 0)
    return { rows: [], total: 0, firstPosition: 0, next: null, previous: null, locations };

  const filter = filterSql(installationIds, query);
  const isBackward = query.before !== null;
  const cursor = query.after ?? query.before;
  const isDescending = query.sort !== "name";
  // Paging backwards reads the rows before the cursor in reverse order, then flips them.
  const readsDescending = isDescending !== isBackward;
  const key = Prisma.raw(SORT_KEYS[query.sort]);
  const direction = Prisma.raw(readsDescending ? "DESC" : "ASC");
  const cursorSql = cursor
    ? Prisma.sql`AND (${key}, "installationId", "remoteId") ${Prisma.raw(readsDescending ? "<" : ">")} (${cursorValue(query, cursor)}, ${cursor.installationId}, ${cursor.remoteId})`
    : Prisma.empty;
  const companyColumn =
    query.kind === "members" ? Prisma.sql`"companyId"` : Prisma.sql`NULL::text AS "companyId"`;

  const [fetched, [{ total } = { total: 0 }]] = await Promise.all([
    db.$queryRaw<RawRow[]>`
      SELECT "installationId", "remoteId", "name", "email", "status", "locationId", "updatedAt", "mapped", ${companyColumn}
      FROM ${TABLES[query.kind]} WHERE ${filter} ${cursorSql}
      ORDER BY ${key} ${direction}, "installationId" ${direction}, "remoteId" ${direction}
      LIMIT ${DIRECTORY_PAGE_SIZE + 1}`,
    db.$queryRaw<
      { total: number }[]
    >`SELECT count(*)::int AS total FROM ${TABLES[query.kind]} WHERE ${filter}`,
  ]);

  const hasMore = fetched.length > DIRECTORY_PAGE_SIZE;
  const page = fetched.slice(0, DIRECTORY_PAGE_SIZE);
  if (isBackward) page.reverse();
  const first = page[0];
  const last = page[page.length - 1];
  const hasNext = isBackward ? true : hasMore;
  const hasPrevious = isBackward ? hasMore : cursor !== null;
  return {
    rows: await decorate(page, { accountId, locations }),
    total,
    firstPosition: first ? (await countBefore({ filter, query, key, row: first, isDescending })) + 1 : 0,
    next: hasNext && last ? cursorOf(last, query) : null,
    previous: hasPrevious && first ? cursorOf(first, query) : null,
    locations,
  };
}

function filterSql(installationIds: string[], query: DirectoryQuery): Prisma.Sql {
  // A single installation (the usual account) gets `=`, which lets the (installationId, locationId,
  // name) index hand rows over already sorted when a location is chosen; ANY(...) would not.
  const [only] = installationIds;
  const tenant =
    installationIds.length === 1 && only
      ? Prisma.sql`"installationId" = ${only}`
      : Prisma.sql`"installationId" = ANY(${installationIds}::text[])`;
  const parts = [tenant, Prisma.sql`"deletedAt" IS NULL`];
  if (query.q) {
    const pattern = `%${query.q.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
    parts.push(Prisma.sql`("name" ILIKE ${pattern} OR "email" ILIKE ${pattern})`);
  }
  if (query.locationId) parts.push(Prisma.sql`"locationId" = ${query.locationId}`);
  if (query.status) parts.push(Prisma.sql`"status" = ${query.status}`);
  return Prisma.join(parts, " AND ");
}

/** Rows that sort before `row` under the same filter: where the page starts among all matches. */
async function countBefore({
  filter,
  query,
  key,
  row,
  isDescending,
}: {
  filter: Prisma.Sql;
  query: DirectoryQuery;
  key: Prisma.Sql;
  row: RawRow;
  isDescending: boolean;
}) {
  const cursor = cursorOf(row, query);
  const [{ before } = { before: 0 }] = await db.$queryRaw<{ before: number }[]>`
    SELECT count(*)::int AS "before" FROM ${TABLES[query.kind]} WHERE ${filter}
      AND (${key}, "installationId", "remoteId") ${Prisma.raw(isDescending ? ">" : "<")} (${cursorValue(query, cursor)}, ${cursor.installationId}, ${cursor.remoteId})`;
  return before;
}

function cursorValue(query: DirectoryQuery, cursor: DirectoryCursor): string | Date {
  if (query.sort !== "-updated") return cursor.value;
  const date = new Date(cursor.value);
  return Number.isNaN(date.getTime()) ? new Date(0) : date;
}

function cursorOf(row: RawRow, query: DirectoryQuery): DirectoryCursor {
  const value = query.sort === "-updated" ? row.updatedAt.toISOString() : row.name;
  return { value, installationId: row.installationId, remoteId: row.remoteId };
}

async function decorate(
  rows: RawRow[],
  { accountId, locations }: { accountId: string; locations: LocationName[] },
): Promise<DirectoryRow[]> {
  const companyKeys = rows
    .filter((row) => row.companyId)
    .map((row) => ({ installationId: row.installationId, remoteId: row.companyId! }));
  const [companies, installations] = await Promise.all([
    companyKeys.length > 0
      ? db.company.findMany({
          where: { OR: companyKeys },
          select: { installationId: true, remoteId: true, name: true },
        })
      : [],
    db.installation.findMany({ where: { accountId }, select: { id: true, orgName: true, status: true } }),
  ]);
  const companyName = new Map(
    companies.map((company) => [`${company.installationId}/${company.remoteId}`, company.name]),
  );
  const orgName = new Map(installations.map((installation) => [installation.id, installation.orgName]));
  const disconnected = new Set(
    installations
      .filter((installation) => installation.status === "removed")
      .map((installation) => installation.id),
  );
  const locationName = new Map(locations.map((location) => [location.locationId, location.name]));
  return rows.map(({ companyId, mapped, ...row }) => ({
    ...row,
    tags: Array.isArray(mapped?.tags)
      ? mapped.tags.filter((tag): tag is string => typeof tag === "string")
      : [],
    locationName: row.locationId ? (locationName.get(row.locationId) ?? null) : null,
    orgName: orgName.get(row.installationId) ?? "",
    isDisconnected: disconnected.has(row.installationId),
    companyName:
      mapped && "company" in mapped
        ? typeof mapped.company === "string"
          ? mapped.company
          : null
        : companyId
          ? (companyName.get(`${row.installationId}/${companyId}`) ?? null)
          : null,
  }));
}
