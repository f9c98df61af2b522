import "server-only";
import { db } from "@/lib/db";
import { sendSyncJob, sendWebhookEventJob } from "@/lib/jobs/boss";
import { log } from "@/lib/log";
import { pruneRateLimits } from "@/lib/worker/prune-rate-limits";
import { requestSync } from "@/lib/sync/request-sync";
import { STALE_HEARTBEAT_MS } from "@/lib/sync/run-claim";
import { reconcileDueInstallations } from "@/lib/webhooks/reconcile";
import { dropOldWebhookPayloads } from "@/lib/webhooks/retention";

// The `sync-maintenance` job, every minute on whichever worker takes it: the safety net that makes
// lost jobs harmless, plus the schedule of incremental syncs.

/** Queued runs nobody started after this long get their job sent again. */
const QUEUED_GRACE_MS = 5 * 60_000;
/** Events still "received" after this long were never picked up (the job was not sent). */
const EVENT_GRACE_MS = 2 * 60_000;
/** Each enabled location is synced incrementally at least this often (webhooks keep it fresh between). */
export const INCREMENTAL_INTERVAL_MS = 15 * 60_000;
const BATCH = 200;
/** Old webhook payloads are looked for at most this often per worker process. */
const PAYLOAD_RETENTION_INTERVAL_MS = 60 * 60_000;
let lastPayloadRetentionAt = 0;

export async function runMaintenance(
  now = new Date(),
): Promise<{ resumed: number; redriven: number; scheduled: number }> {
  const resumed = await resumeStalledRuns(now);
  const redriven = await redriveEvents(now);
  const scheduled = await scheduleIncrementalSyncs(now);
  await pruneRateLimits();
  if (
    now.getTime() - lastPayloadRetentionAt >= PAYLOAD_RETENTION_INTERVAL_MS ||
    now.getTime() < lastPayloadRetentionAt
  ) {
    lastPayloadRetentionAt = now.getTime();
    const dropped = await dropOldWebhookPayloads(now);
    if (dropped > 0) log.info({ dropped }, "old webhook payloads dropped");
  }
  await db.workerHeartbeat.deleteMany({ where: { seenAt: { lt: new Date(now.getTime() - 86_400_000) } } });
  await reconcileDueInstallations(now);
  if (resumed + redriven + scheduled > 0) log.info({ resumed, redriven, scheduled }, "sync maintenance");
  return { resumed, redriven, scheduled };
}

/** Runs whose worker died, or whose job was lost: ask for their location again (claim sorts it out). */
async function resumeStalledRuns(now: Date): Promise<number> {
  const stalled = await db.syncRun.findMany({
    where: {
      OR: [
        { status: "running", heartbeatAt: { lt: new Date(now.getTime() - STALE_HEARTBEAT_MS) } },
        { status: "queued", createdAt: { lt: new Date(now.getTime() - QUEUED_GRACE_MS) } },
      ],
    },
    distinct: ["installationId", "locationId"],
    select: { installationId: true, locationId: true },
    take: BATCH,
  });
  for (const run of stalled)
    await sendSyncJob({ installationId: run.installationId, locationId: run.locationId });
  return stalled.length;
}

async function redriveEvents(now: Date): Promise<number> {
  const events = await db.webhookEvent.findMany({
    where: { status: "received", receivedAt: { lt: new Date(now.getTime() - EVENT_GRACE_MS) } },
    orderBy: { receivedAt: "asc" },
    select: { id: true },
    take: BATCH,
  });
  for (const event of events) await sendWebhookEventJob({ eventId: event.id });
  return events.length;
}

async function scheduleIncrementalSyncs(now: Date): Promise<number> {
  const due = await db.installationLocation.findMany({
    where: {
      syncEnabled: true,
      installation: { status: "active", syncEnabled: true },
      OR: [{ lastSyncAt: null }, { lastSyncAt: { lt: new Date(now.getTime() - INCREMENTAL_INTERVAL_MS) } }],
    },
    select: { installationId: true, locationId: true },
    take: BATCH,
  });
  let scheduled = 0;
  for (const location of due) {
    const isPending = await db.syncRun.count({
      where: {
        installationId: location.installationId,
        locationId: location.locationId,
        status: { in: ["queued", "running"] },
      },
    });
    if (isPending > 0) continue;
    await requestSync({
      installationId: location.installationId,
      locationId: location.locationId,
      trigger: "schedule",
    });
    scheduled++;
  }
  return scheduled;
}
