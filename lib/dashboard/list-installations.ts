import "server-only";
import { SUCCEEDED_RUN_STATUSES } from "@/lib/configuration/run-status";
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
  locations: { locationId: string; name: string; syncEnabled: boolean }[];
  connectedAt: Date;
  removedAt: Date | null;
  lastSyncAt: Date | null;
};

/** The account's installations, newest first, for a member of the account. */
export async function listInstallations({ userId, accountId }: { userId: string; accountId: string }): Promise<InstallationSummary[]> {
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
      locations: { select: { locationId: true, name: true, syncEnabled: true, lastSyncAt: true }, orderBy: { name: "asc" } },
    },
  });
  const lastRuns = await db.syncRun.groupBy({
    by: ["installationId"],
    where: { installationId: { in: rows.map((row) => row.id) }, status: { in: [...SUCCEEDED_RUN_STATUSES] } },
    _max: { finishedAt: true },
  });
  const lastRunAt = new Map(lastRuns.map((run) => [run.installationId, run._max.finishedAt]));
  return rows.map((row) => ({
    id: row.id,
    orgName: row.orgName,
    orgSlug: row.orgSlug,
    status: row.status,
    syncEnabled: row.syncEnabled,
    coversAllLocations: row.locationsKey === "",
    locations: row.locations.map(({ locationId, name, syncEnabled }) => ({ locationId, name, syncEnabled })),
    connectedAt: row.connectedAt,
    removedAt: row.removedAt,
    lastSyncAt: latest([lastRunAt.get(row.id) ?? null, ...row.locations.map((location) => location.lastSyncAt)]),
  }));
}

function latest(dates: (Date | null)[]): Date | null {
  return dates.reduce<Date | null>((best, date) => (date && (!best || date > best) ? date : best), null);
}
