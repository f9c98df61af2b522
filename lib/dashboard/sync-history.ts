import "server-only";
import { db } from "@/lib/db";
import { accountInstallationIds, requireAccountMember } from "@/lib/dashboard/account-scope";
import { addWebhookChanges, fillDays, lastDays, type DailyTotal } from "@/lib/dashboard/chart";
import { listAccountLocations } from "@/lib/dashboard/list-account-locations";
import { SYNC_RUN_SELECT, type SyncRunView } from "@/lib/sync/runs";

export const HISTORY_DAYS = 14;
const RECENT_RUNS = 50;

export type HistoryRun = Omit<SyncRunView, "locationId"> & { orgName: string; locationName: string | null };

export type SyncHistory = { days: DailyTotal[]; runs: HistoryRun[] };

/**
 * Records changed per UTC day over the last HISTORY_DAYS (by runs finished that day plus changes applied
 * from webhooks), and the latest runs, for a member of the account.
 */
export async function getSyncHistory({
  userId,
  accountId,
  now = new Date(),
}: {
  userId: string;
  accountId: string;
  now?: Date;
}): Promise<SyncHistory> {
  await requireAccountMember({ userId, accountId });
  const installationIds = await accountInstallationIds({ accountId });
  const window = lastDays(now, HISTORY_DAYS);
  if (installationIds.length === 0) return { days: fillDays([], window), runs: [] };

  const since = new Date(`${window[0]}T00:00:00.000Z`);
  const [totals, webhookChanges, runs, installations, locations] = await Promise.all([
    db.$queryRaw<DailyTotal[]>`
      SELECT to_char(date_trunc('day', "finishedAt" AT TIME ZONE 'UTC'), 'YYYY-MM-DD') AS "day",
             COALESCE(SUM("created" + "updated" + "deleted"), 0)::int AS "records", COUNT(*)::int AS "runs"
      FROM "SyncRun"
      WHERE "installationId" = ANY(${installationIds}::text[]) AND "finishedAt" >= ${since}
      GROUP BY 1`,
    // Changes applied from webhooks between runs (integration events change no record).
    db.$queryRaw<{ day: string; changes: number }[]>`
      SELECT to_char(date_trunc('day', "processedAt" AT TIME ZONE 'UTC'), 'YYYY-MM-DD') AS "day", COUNT(*)::int AS "changes"
      FROM "WebhookEvent"
      WHERE "installationId" = ANY(${installationIds}::text[]) AND "status" = 'processed' AND "processedAt" >= ${since}
        AND "eventType" NOT LIKE 'integration.%'
      GROUP BY 1`,
    db.syncRun.findMany({
      where: { installationId: { in: installationIds } },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take: RECENT_RUNS,
      select: SYNC_RUN_SELECT,
    }) as Promise<SyncRunView[]>,
    db.installation.findMany({ where: { id: { in: installationIds } }, select: { id: true, orgName: true } }),
    listAccountLocations(installationIds),
  ]);
  const orgName = new Map(installations.map((installation) => [installation.id, installation.orgName]));
  const locationName = new Map(locations.map((location) => [location.locationId, location.name]));
  return {
    days: addWebhookChanges(fillDays(totals, window), webhookChanges),
    runs: runs.map(({ locationId, ...run }) => ({
      ...run,
      orgName: orgName.get(run.installationId) ?? "",
      locationName: locationId ? (locationName.get(locationId) ?? locationId) : null,
    })),
  };
}
