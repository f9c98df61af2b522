import "server-only";
import PgBoss from "pg-boss";
import { env } from "@/lib/env";
import { log } from "@/lib/log";
import { QUEUE_OPTIONS, QUEUES, syncJobKey, type SyncLocationJob, type WebhookEventJob } from "@/lib/jobs/queues";

// pg-boss in the app's own Postgres, in schema `pgboss` (it creates its tables there on first start).
// Web processes hold a light sender (no maintenance, no cron); workers start their own instance.

export const PGBOSS_SCHEMA = "pgboss";

const globalForBoss = globalThis as unknown as { pgBossSender?: Promise<PgBoss> };

export function createBoss(options: { isWorker: boolean; connectionString?: string }): PgBoss {
  const boss = new PgBoss({
    connectionString: options.connectionString ?? env().DATABASE_URL,
    schema: PGBOSS_SCHEMA,
    application_name: options.isWorker ? "officernd-sync-worker" : "officernd-app",
    max: options.isWorker ? 4 : 2,
    supervise: options.isWorker,
    schedule: options.isWorker,
    migrate: true,
  });
  boss.on("error", (error) => log.error({ err: { name: error.name, message: error.message } }, "pg-boss error"));
  return boss;
}

/** Creates the queues (idempotent); pg-boss 10 refuses `send` to a queue that does not exist. */
export async function ensureQueues(boss: PgBoss): Promise<void> {
  for (const [name, options] of Object.entries(QUEUE_OPTIONS)) await boss.createQueue(name, { name, ...options });
}

/** The process's sender, started once. A failed start is forgotten so the next call tries again. */
export function getSender(): Promise<PgBoss> {
  globalForBoss.pgBossSender ??= (async () => {
    const boss = createBoss({ isWorker: false });
    await boss.start();
    await ensureQueues(boss);
    return boss;
  })().catch((error: unknown) => {
    globalForBoss.pgBossSender = undefined;
    throw error;
  });
  return globalForBoss.pgBossSender;
}

/** A worker's own started instance doubles as the process's sender (one pool, not two). */
export function adoptAsSender(boss: PgBoss): void {
  globalForBoss.pgBossSender = Promise.resolve(boss);
}

/** Forgets `boss` as the sender once it is stopped elsewhere (a worker shutting down). */
export async function forgetSender(boss: PgBoss): Promise<void> {
  const sender = globalForBoss.pgBossSender;
  if (sender && (await sender.catch(() => undefined)) === boss) globalForBoss.pgBossSender = undefined;
}

/** Stops the sender (tests and scripts that exit). */
export async function stopSender(): Promise<void> {
  const sender = globalForBoss.pgBossSender;
  globalForBoss.pgBossSender = undefined;
  if (sender) await (await sender).stop({ graceful: false, wait: true }).catch(() => {});
}

/** Asks a worker to run the location's next sync run; a job already waiting for it absorbs this one. */
export async function sendSyncJob(job: SyncLocationJob, options: { startAfterSeconds?: number } = {}): Promise<string | null> {
  const boss = await getSender();
  return boss.send(QUEUES.syncLocation, job, {
    singletonKey: syncJobKey(job),
    ...(options.startAfterSeconds ? { startAfter: options.startAfterSeconds } : {}),
  });
}

export async function sendWebhookEventJob(job: WebhookEventJob): Promise<string | null> {
  const boss = await getSender();
  return boss.send(QUEUES.webhookEvent, job, { singletonKey: job.eventId });
}
