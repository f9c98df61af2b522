import "server-only";
import { createHash } from "node:crypto";
import PgBoss from "pg-boss";
import { env } from "@/lib/env";
import { log } from "@/lib/log";
import { sqlPool } from "@/lib/sql-pool";
import {
  QUEUE_OPTIONS,
  QUEUES,
  syncJobKey,
  type SyncLocationJob,
  type WebhookEventJob,
} from "@/lib/jobs/queues";

// pg-boss in the app's own Postgres, in schema `pgboss` (it creates its tables there on first start).
// Web processes hold a light sender (no maintenance, no cron); workers start their own instance.

export const PGBOSS_SCHEMA = "pgboss";

const globalForBoss = globalThis as unknown as {
  pgBossSender?: Promise<PgBoss>;
  localConsumers?: Map<string, string[]>;
};

/**
 * Consumers of this process, by queue: a job sent here wakes them at once instead of at their next poll
 * (continuations of a sliced run, and everything in a process that both sends and works).
 */
export function registerLocalConsumers(queue: string, workerIds: string[]): void {
  globalForBoss.localConsumers ??= new Map();
  globalForBoss.localConsumers.set(queue, workerIds);
}

function wakeLocalConsumers(boss: PgBoss, queue: string): void {
  for (const workerId of globalForBoss.localConsumers?.get(queue) ?? []) boss.notifyWorker(workerId);
}

/**
 * Batch inserts go through our pool as named prepared statements (lib/sql-pool.ts): pg-boss's insert is
 * one large statement whose planning costs more than running it, paid by every Sync toggle that queues
 * a sync and every webhook batch. Its text is fixed per schema, so the name is derived from the text.
 */
const preparedInserts: PgBoss.Db = {
  executeSql: (text, values) => sqlPool().query({ name: statementName(text), text, values }),
};
const statementNames = new Map<string, string>();

function statementName(text: string): string {
  let name = statementNames.get(text);
  if (!name) {
    name = `pgboss-${createHash("sha256").update(text).digest("hex").slice(0, 16)}`;
    statementNames.set(text, name);
  }
  return name;
}

async function sendAndWake(queue: string, data: object, options: PgBoss.SendOptions): Promise<string | null> {
  const boss = await getSender();
  const id = await boss.send(queue, data, options);
  if (id && !options.startAfter) wakeLocalConsumers(boss, queue);
  return id;
}

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
  boss.on("error", (error) =>
    log.error({ err: { name: error.name, message: error.message } }, "pg-boss error"),
  );
  return boss;
}

/** Creates the queues (idempotent); pg-boss 10 refuses `send` to a queue that does not exist. */
export async function ensureQueues(boss: PgBoss): Promise<void> {
  for (const [name, options] of Object.entries(QUEUE_OPTIONS))
    await boss.createQueue(name, { name, ...options });
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

export async function forgetSender(boss: PgBoss): Promise<void> {
  const sender = globalForBoss.pgBossSender;
  if (sender && (await sender.catch(() => undefined)) === boss) globalForBoss.pgBossSender = undefined;
}

export async function stopSender(): Promise<void> {
  const sender = globalForBoss.pgBossSender;
  globalForBoss.pgBossSender = undefined;
  if (sender) await (await sender).stop({ graceful: false, wait: true }).catch(() => {});
}

/** Asks a worker to run the location's next sync run; a job already waiting for it absorbs this one. */
export function sendSyncJob(
  job: SyncLocationJob,
  options: { startAfterSeconds?: number } = {},
): Promise<string | null> {
  return sendAndWake(QUEUES.syncLocation, job, {
    singletonKey: syncJobKey(job),
    ...(options.startAfterSeconds ? { startAfter: options.startAfterSeconds } : {}),
  });
}

/** Several locations at once, in one insert (a whole-installation sync request). */
export async function sendSyncJobs(jobs: SyncLocationJob[]): Promise<void> {
  if (jobs.length === 0) return;
  const boss = await getSender();
  // Like `send`, `insert` skips a job whose key already has one waiting.
  await boss.insert(
    jobs.map((job) => ({ name: QUEUES.syncLocation, data: job, singletonKey: syncJobKey(job) })),
    { db: preparedInserts },
  );
  wakeLocalConsumers(boss, QUEUES.syncLocation);
}

export function sendWebhookEventJob(job: WebhookEventJob): Promise<string | null> {
  return sendAndWake(QUEUES.webhookEvent, job, { singletonKey: job.eventId });
}

/** Several events' jobs in one insert (the webhook receiver batches what arrives meanwhile). */
export async function sendWebhookEventJobs(jobs: WebhookEventJob[]): Promise<void> {
  if (jobs.length === 0) return;
  const boss = await getSender();
  await boss.insert(
    jobs.map((job) => ({ name: QUEUES.webhookEvent, data: job, singletonKey: job.eventId })),
    { db: preparedInserts },
  );
  wakeLocalConsumers(boss, QUEUES.webhookEvent);
}
