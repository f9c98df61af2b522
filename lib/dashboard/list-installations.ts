import "server-only";
import { describeLocations, describeSyncScope } from "@/lib/installations/describe-locations";
import { loadEndings, type Ending } from "@/lib/audit/load-endings";
import { SUCCEEDED_RUN_STATUSES } from "@/lib/sync/run-status";
import { db } from "@/lib/db";
import type { InstallationStatus } from "@/lib/generated/prisma/client";
import { requireAccountMember } from "@/lib/dashboard/account-scope";

export type InstallationSummary = {
  id: string;
  orgName: string;
  orgSlug: string;
  status: InstallationStatus;
  syncEnabled: boolean;
  coversAllLocations: boolean;
  /** "All locations" or the covered locations' names: tells two instances in one organisation apart. */
  locationsLabel: string;
  syncScope: string;
  /** Per location: its switch and what we hold for it now. */
  locations: { locationId: string; name: string; syncEnabled: boolean; members: number; companies: number }[];
  ending: Ending | null;
  connectedAt: Date;
  removedAt: Date | null;
  lastSyncAt: Date | null;
};

/** What names an installation and what it covers: the dashboard's list and the configuration page alike. */
export function summarizeInstallation(row: {
  id: string;
  orgName: string;
  orgSlug: string;
  status: InstallationStatus;
  syncEnabled: boolean;
  locationsKey: string;
  locations: { name: string }[];
}): Pick<
  InstallationSummary,
  "id" | "orgName" | "orgSlug" | "status" | "syncEnabled" | "coversAllLocations" | "locationsLabel"
> {
  return {
    id: row.id,
    orgName: row.orgName,
    orgSlug: row.orgSlug,
    status: row.status,
    syncEnabled: row.syncEnabled,
    coversAllLocations: row.locationsKey === "",
    locationsLabel: describeLocations({
      coversAll: row.locationsKey === "",
      names: row.locations.map((location) => location.name),
    }),
  };
}

/** The account's installations, newest first, for a member of the account. */
export async function listInstallations({
  userId,
  accountId,
}: {
  userId: string;
  accountId: string;
}): Promise<InstallationSummary[]> {
  await requireAccountMember({ userId, accountId });
  const rows = await db.installation.findMany({
    where: { accountId },
    orderBy: [{ status: "asc" }, { connectedAt: "desc" }],
    select: {
      id: true,
      orgName: true,
      orgSlug: true,
      status: true,
      syncEnabled: true,
      locationsKey: true,
      connectedAt: true,
      removedAt: true,
      locations: {
        select: { locationId: true, name: true, syncEnabled: true, lastSyncAt: true },
        orderBy: { name: "asc" },
      },
    },
  });
  const lastRuns = await db.syncRun.groupBy({
    by: ["installationId"],
    where: { installationId: { in: rows.map((row) => row.id) }, status: { in: [...SUCCEEDED_RUN_STATUSES] } },
    _max: { finishedAt: true },
  });
  const lastRunAt = new Map(lastRuns.map((run) => [run.installationId, run._max.finishedAt]));
  const ids = rows.map((row) => row.id);
  const [members, companies, endings] = await Promise.all([
    db.member.groupBy({
      by: ["installationId", "locationId"],
      where: { installationId: { in: ids }, deletedAt: null },
      _count: { _all: true },
    }),
    db.company.groupBy({
      by: ["installationId", "locationId"],
      where: { installationId: { in: ids }, deletedAt: null },
      _count: { _all: true },
    }),
    loadEndings({
      installationIds: rows.filter((row) => row.status === "removed").map((row) => row.id),
      viewerActor: `user:${userId}`,
    }),
  ]);
  const held = (groups: typeof members, installationId: string, locationId: string) =>
    groups.find((group) => group.installationId === installationId && group.locationId === locationId)?._count
      ._all ?? 0;
  return rows.map((row) => ({
    ...summarizeInstallation(row),
    syncScope: describeSyncScope({
      installationSyncEnabled: row.syncEnabled,
      isRemoved: row.status === "removed",
      locations: row.locations.map((location) => ({
        name: location.name,
        isSyncing: row.syncEnabled && location.syncEnabled,
      })),
    }),
    ending: endings.get(row.id) ?? null,
    locations: row.locations.map(({ locationId, name, syncEnabled }) => ({
      locationId,
      name,
      syncEnabled,
      members: held(members, row.id, locationId),
      companies: held(companies, row.id, locationId),
    })),
    connectedAt: row.connectedAt,
    removedAt: row.removedAt,
    lastSyncAt: latest([
      lastRunAt.get(row.id) ?? null,
      ...row.locations.map((location) => location.lastSyncAt),
    ]),
  }));
}

function latest(dates: (Date | null)[]): Date | null {
  return dates.reduce<Date | null>((best, date) => (date && (!best || date > best) ? date : best), null);
}
