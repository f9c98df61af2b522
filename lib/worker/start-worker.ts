import "server-only";
import { hostname } from "node:os";
import v8 from "node:v8";
import { randomBytes } from "node:crypto";
import pg from "pg";
import type PgBoss from "pg-boss";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import {
  adoptAsSender,
  createBoss,
  ensureQueues,
  forgetSender,
  registerLocalConsumers,
} from "@/lib/jobs/boss";
import { handleSyncJob } from "@/lib/worker/handle-sync-job";
import { runMaintenance } from "@/lib/worker/maintenance";
import { QUEUES, type SyncLocationJob, type WebhookEventJob } from "@/lib/jobs/queues";
import { errorSummary, log } from "@/lib/log";
import type { EngineDeps } from "@/lib/sync/engine";
import { processWebhookEvent } from "@/lib/webhooks/process-event";

// A worker process: pulls sync, webhook and maintenance jobs from pg-boss and writes a heartbeat every
// ~10 s (/api/ready checks it). Any number of workers may run on any number of machines.

export const HEARTBEAT_INTERVAL_MS = 10_000;
/** How long running jobs get to finish their current page when the worker stops. */
const STOP_GRACE_MS = 5_000;
const WEBHOOK_BATCH = 50;
const WEBHOOK_PARALLELISM = 4;

async function forEachLimited<T>(
  items: readonly T[],
  limit: number,
  action: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await action(items[next++]!);
  });
  await Promise.all(lanes);
}

export type Worker = { id: string; boss: PgBoss; stop: () => Promise<void> };

export type WorkerOptions = {
  concurrency?: number;
  connectionString?: string;
  engine?: EngineDeps;
  pollingIntervalSeconds?: number;
};

/**
 * V8 settings for a dedicated worker, before its first query. It streams many short-lived pages: V8's
 * default lets the old generation grow to ~4× the live heap (~160 MB of garbage here); 1.5× keeps it well
 * under 300 MB. Prisma 7's 3.4 MB WebAssembly query compiler, recompiled by TurboFan in the background, left
 * ~45 MB more resident (bench:sync); the worker's few Prisma queries run fast enough on Liftoff alone.
 */
export function tuneHeapForStreaming(): void {
  v8.setFlagsFromString("--heap-growing-percent=50");
  v8.setFlagsFromString("--liftoff-only");
}

/**
 * Workers starting together on a fresh database (pg-boss creating its schema and our queues at once)
 * can deadlock each other; found by e2e/scale. One start at a time, under a session advisory lock.
 */
async function oneStartAtATime<T>(connectionString: string, start: () => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString, application_name: "officernd-worker-start" });
  await client.connect();
  try {
    await client.query("SELECT pg_advisory_lock(hashtextextended('officernd:pg-boss-start', 0))");
    return await start();
  } finally {
    await client.end().catch(() => undefined); // ending the session releases the lock
  }
}

export async function startWorker(options: WorkerOptions = {}): Promise<Worker> {
  const id = `${hostname()}:${process.pid}:${randomBytes(3).toString("hex")}`;
  const connectionString = options.connectionString ?? env().DATABASE_URL;
  const boss = createBoss({ isWorker: true, connectionString });
  await oneStartAtATime(connectionString, async () => {
    await boss.start();
    await ensureQueues(boss);
  });
  adoptAsSender(boss);

  const beat = () =>
    db.workerHeartbeat.upsert({
      where: { id },
      create: { id, seenAt: new Date() },
      update: { seenAt: new Date() },
    });
  await beat();
  const heartbeat = setInterval(
    () => void beat().catch((error: unknown) => log.warn({ err: String(error) }, "worker heartbeat failed")),
    HEARTBEAT_INTERVAL_MS,
  );

  const stopping = new AbortController();
  const engine: EngineDeps = { ...options.engine, stopSignal: stopping.signal };
  const polling = { pollingIntervalSeconds: options.pollingIntervalSeconds ?? 2 };
  const concurrency = options.concurrency ?? env().WORKER_CONCURRENCY;
  // pg-boss waits out the rest of its polling interval after every fetch, even one that found a job. A
  // consumer that just finished a job looks again at once instead (the queue is likely not empty: the
  // other locations of a whole-installation sync); only an empty fetch waits. Measured by bench:sync:
  // an incremental pass of 10 locations took ~11 s of waits for 31 requests.
  const lookAgainAtOnce = (consumer: { id?: string }) => {
    if (consumer.id) boss.notifyWorker(consumer.id);
  };
  // Each `work` call is one sequential consumer; several give this process parallel syncs.
  const syncConsumers: string[] = [];
  for (let slot = 0; slot < concurrency; slot++) {
    const self: { id?: string } = {};
    self.id = await boss.work<SyncLocationJob>(
      QUEUES.syncLocation,
      { ...polling, batchSize: 1 },
      async ([job]) => {
        if (!job) return;
        try {
          await handleSyncJob(job.data, engine, id);
        } finally {
          lookAgainAtOnce(self);
        }
      },
    );
    syncConsumers.push(self.id);
  }
  registerLocalConsumers(QUEUES.syncLocation, syncConsumers);
  // Webhook jobs are short: take them in batches and run a few at a time. A failing event is failed
  // alone (pg-boss retries it with backoff); the rest of the batch completes.
  const webhooks: { id?: string } = {};
  webhooks.id = await boss.work<WebhookEventJob>(
    QUEUES.webhookEvent,
    { ...polling, batchSize: WEBHOOK_BATCH },
    async (jobs) => {
      await forEachLimited(jobs, WEBHOOK_PARALLELISM, async (job) => {
        try {
          await processWebhookEvent(job.data.eventId);
        } catch (error) {
          await boss.fail(QUEUES.webhookEvent, job.id, { message: errorSummary(error) });
        }
      });
      if (jobs.length > 0) lookAgainAtOnce(webhooks);
    },
  );
  registerLocalConsumers(QUEUES.webhookEvent, [webhooks.id]);
  await boss.work(QUEUES.maintenance, { pollingIntervalSeconds: 10 }, async () => {
    await runMaintenance();
  });
  await boss.schedule(QUEUES.maintenance, "* * * * *");
  log.info({ workerId: id, concurrency }, "sync worker started");

  return {
    id,
    boss,
    stop: async () => {
      clearInterval(heartbeat);
      // Running syncs hand their run back after the current page; another worker resumes it.
      stopping.abort();
      // Bounded, so a process can exit within seconds of a signal even when the database is going away
      // under it (pg-boss fails what is still active; maintenance resumes stalled runs).
      await boss.stop({ graceful: true, wait: true, timeout: STOP_GRACE_MS }).catch((error: unknown) => {
        log.warn({ err: errorSummary(error) }, "pg-boss did not stop cleanly");
      });
      await forgetSender(boss);
      registerLocalConsumers(QUEUES.syncLocation, []);
      registerLocalConsumers(QUEUES.webhookEvent, []);
      await Promise.race([
        db.workerHeartbeat.delete({ where: { id } }).catch(() => {}),
        new Promise((resolve) => setTimeout(resolve, 1_000).unref()),
      ]);
      log.info({ workerId: id }, "sync worker stopped");
    },
  };
}
