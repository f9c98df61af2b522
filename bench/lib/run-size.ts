// One benchmark size, in its own process so its memory is measured alone: a full sync of every
// location of the emulator organisation by a real worker (pg-boss, in this process), then the baseline.
// Prints one line: BENCH_RESULT <json>.
import { parseArgs } from "node:util";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { startWorker, tuneHeapForStreaming } from "@/lib/worker/start-worker";
import { configureLogLevel } from "@/lib/log";
import { MEMBER_STATUSES } from "@/lib/sync/location-settings";
import { requestSync } from "@/lib/sync/request-sync";
import { writeBaseline } from "./baseline";
import { compareWithEmulator, connectInstallation, type EmulatorHandle } from "./emulator-org";
import { sampleRss } from "./measure";

const ORG = "acme-coworking";
const SEED = 1;

const { values } = parseArgs({
  options: {
    "emulator-url": { type: "string" },
    members: { type: "string" },
    companies: { type: "string" },
    concurrency: { type: "string" },
    locations: { type: "string" },
    verify: { type: "boolean" },
    "trace-memory": { type: "boolean" },
  },
});
const emulatorUrl = values["emulator-url"]!;
const members = Number(values.members);
const companies = Number(values.companies);
const concurrency = Number(values.concurrency ?? env().WORKER_CONCURRENCY);
const locations = Number(values.locations ?? 4);

const emulator: EmulatorHandle = {
  url: emulatorUrl,
  control: async <T>(route: string, body?: unknown, method = body === undefined ? "GET" : "POST") => {
    const response = await fetch(`${emulatorUrl}${route}`, {
      method,
      headers: { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`${route}: ${response.status}`);
    return (await response.json()) as T;
  },
};

async function main(): Promise<void> {
  configureLogLevel();
  // As scripts/worker.ts does: the benchmark measures the worker process as deployed.
  tuneHeapForStreaming();
  // Every status, so the sync copies all members the emulator generated.
  const installation = await connectInstallation({ emulator, org: ORG, settings: { memberStatuses: [...MEMBER_STATUSES] } });
  const worker = await startWorker({ concurrency, pollingIntervalSeconds: 0.5 });

  const rssBeforeSync = process.memoryUsage.rss();
  const sampler = sampleRss();
  const tracer = values["trace-memory"]
    ? setInterval(() => {
        const usage = process.memoryUsage();
        const mb = (bytes: number) => Math.round(bytes / 1048576);
        console.error(
          `[memory] rss ${mb(usage.rss)} heapUsed ${mb(usage.heapUsed)} heapTotal ${mb(usage.heapTotal)} external ${mb(usage.external)} arrayBuffers ${mb(usage.arrayBuffers)}`,
        );
      }, 1000)
    : undefined;
  const started = performance.now();
  const { runIds } = await requestSync({ installationId: installation.installationId, trigger: "bench", kind: "full" });
  for (;;) {
    const unfinished = await db.syncRun.count({ where: { id: { in: runIds }, status: { in: ["queued", "running"] } } });
    if (unfinished === 0) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const syncMs = performance.now() - started;
  const { peakRssBytes } = sampler.stop();
  clearInterval(tracer);
  await worker.stop();

  const runs = await db.syncRun.findMany({
    where: { id: { in: runIds } },
    select: { status: true, done: true, created: true, failed: true, locationId: true, createdAt: true, startedAt: true, finishedAt: true },
  });
  if (values["trace-memory"]) {
    for (const run of runs) {
      const at = (date: Date | null) => (date ? date.getTime() - run.createdAt.getTime() : null);
      console.error(`[run] ${run.locationId ?? "discovery"}: started +${at(run.startedAt)} ms, finished +${at(run.finishedAt)} ms, ${run.done} records`);
    }
  }
  const failedRuns = runs.filter((run) => run.status !== "succeeded");
  if (failedRuns.length > 0) throw new Error(`runs did not succeed: ${JSON.stringify(failedRuns)}`);
  const locationRuns = runs.filter((run) => run.locationId !== null);
  // The emulator must have been started with the same --locations, or the baseline writes other rows.
  if (locationRuns.length !== locations) throw new Error(`synced ${locationRuns.length} locations, expected ${locations}`);
  const synced = locationRuns.reduce((sum, run) => sum + run.done, 0);
  const liveRows =
    (await db.member.count({ where: { installationId: installation.installationId, deletedAt: null } })) +
    (await db.company.count({ where: { installationId: installation.installationId, deletedAt: null } })) +
    (await db.syncedLocation.count({ where: { installationId: installation.installationId, deletedAt: null } }));
  const differences = values.verify ? (await compareWithEmulator({ emulator, installation, memberStatuses: [...MEMBER_STATUSES] })).length : null;

  const baselines: Record<string, { ms: number; rows: number }> = {};
  for (const batchSize of [50, 1000]) {
    await db.$executeRawUnsafe(`TRUNCATE "Member", "Company", "SyncedLocation"`);
    const baselineStarted = performance.now();
    const rows = await writeBaseline({
      installationId: installation.installationId,
      org: ORG,
      seed: SEED,
      members,
      companies,
      locations,
      batchSize,
      parallelism: concurrency,
    });
    baselines[String(batchSize)] = { ms: performance.now() - baselineStarted, rows };
  }

  console.log(
    `BENCH_RESULT ${JSON.stringify({ members, companies, locations, concurrency, syncMs, synced, liveRows, differences, peakRssBytes, rssBeforeSync, maxRssBytes: process.resourceUsage().maxRSS * 1024, baselines })}`,
  );
  await db.$disconnect();
  process.exit(0);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
