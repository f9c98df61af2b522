// One size of `npm run bench:sync`, in its own process (env() is read once): a real worker process (as
// `npm run worker` starts it) syncs every location of the emulator organisation in full, then an
// incremental pass after 1 % of the records changed; the requests are counted at the emulator and the
// worker's memory read from /proc. Then, without a budget, the same rows are written straight into
// Postgres with the same upsert (the baseline), and optionally the time until the first members of a
// 1,000-member location are visible after Sync on. Prints one line: BENCH_RESULT <json>.
import { db } from "@/lib/db";
import { stopSender } from "@/lib/jobs/boss";
import { configureLogLevel } from "@/lib/log";
import { setSyncEnabled } from "@/lib/installations/set-sync-enabled";
import { MEMBER_STATUSES } from "@/lib/sync/location-settings";
import { requestSync } from "@/lib/sync/request-sync";
import { closeSqlPool } from "@/lib/sql-pool";
import { writeBaseline } from "./baseline";
import { appEnv, BENCH_ORG, BENCH_SEED, parseChildArgs, printResult, progress } from "./bench-run";
import { compareWithEmulator, connectInstallation, type EmulatorHandle } from "./emulator-org";
import { startWorkerProcess, type WorkerProcess } from "./worker-process";

export const RESULT_MARKER = "BENCH_RESULT";

type Requests = {
  total: number;
  apiV1: number;
  apiV2: number;
  token: number;
  routes: Array<{ route: string; status: number; count: number }>;
};
export type Pass = {
  ms: number;
  records: number;
  requests: number;
  throttled: number;
  token: number;
  routes: Requests["routes"];
};
export type SizeResult = {
  members: number;
  companies: number;
  locations: number;
  concurrency: number;
  budget: number;
  full: Pass;
  incremental: Pass & { changes: number };
  idleRssBytes: number;
  peakRssBytes: number;
  liveRows: number;
  differences: number | null;
  baselines: Record<string, { ms: number; rows: number }> | null;
  firstMembersMs: number[] | null;
};

const { values, emulator } = parseChildArgs({
  "database-url": { type: "string" },
  members: { type: "string" },
  companies: { type: "string" },
  concurrency: { type: "string" },
  locations: { type: "string" },
  budget: { type: "string" },
  verify: { type: "boolean" },
  baseline: { type: "boolean" },
  "latency-trials": { type: "string" },
});
const members = Number(values.members);
const companies = Number(values.companies);
const concurrency = Number(values.concurrency ?? 2);
const locations = Number(values.locations ?? 10);
const budget = Number(values.budget ?? 0);
const latencyTrials = Number(values["latency-trials"] ?? 0);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitForRuns(runIds: string[]): Promise<void> {
  for (;;) {
    const unfinished = await db.syncRun.count({
      where: { id: { in: runIds }, status: { in: ["queued", "running"] } },
    });
    if (unfinished === 0) break;
    await sleep(50);
  }
  const failed = await db.syncRun.findMany({
    where: { id: { in: runIds }, status: { not: "succeeded" } },
    select: { id: true, status: true, error: true },
  });
  if (failed.length > 0) throw new Error(`runs did not succeed: ${JSON.stringify(failed)}`);
}

/** A sync of every location of the installation, timed and counted at the emulator. */
async function timedPass(installationId: string, kind: "full" | "incremental"): Promise<Pass> {
  await emulator.control("/_emulator/requests", undefined, "DELETE");
  const started = performance.now();
  const { runIds } = await requestSync({ installationId, trigger: "bench", kind });
  await waitForRuns(runIds);
  const ms = performance.now() - started;
  const requests = await emulator.control<Requests>("/_emulator/requests");
  const runs = await db.syncRun.findMany({
    where: { id: { in: runIds }, locationId: { not: null } },
    select: { done: true },
  });
  return {
    ms,
    records: runs.reduce((sum, run) => sum + run.done, 0),
    requests: requests.apiV1 + requests.apiV2,
    throttled: requests.routes
      .filter((route) => route.status === 429)
      .reduce((sum, route) => sum + route.count, 0),
    token: requests.token,
    routes: requests.routes,
  };
}

/**
 * Sync on → job → first members rows, through the real path: the installation starts with sync off;
 * setSyncEnabled (what the signed Sync URL calls once the signature is checked) queues the run and its
 * pg-boss job from this process; the worker process polls for it, claims it, and writes pages. Each
 * trial is its own installation of one location; the clock stops at the first Member row.
 */
async function firstMembersTrials(
  handle: EmulatorHandle,
  locationIds: string[],
  trials: number,
): Promise<number[]> {
  const times: number[] = [];
  for (let trial = 0; trial < trials; trial++) {
    const locationId = locationIds[trial % locationIds.length]!;
    const installation = await connectInstallation({
      emulator: handle,
      org: BENCH_ORG,
      locationIds: [locationId],
      settings: { memberStatuses: [...MEMBER_STATUSES] },
    });
    await db.installation.update({
      where: { id: installation.installationId },
      data: { syncEnabled: false },
    });
    const started = performance.now();
    await setSyncEnabled({
      installationId: installation.installationId,
      intent: { kind: "set", enabled: true },
      actor: "bench",
      trigger: "bench",
    });
    for (;;) {
      const [row] = await db.$queryRaw<
        { one: number }[]
      >`SELECT 1 AS one FROM "Member" WHERE "installationId" = ${installation.installationId} LIMIT 1`;
      if (row) break;
      await sleep(10);
    }
    times.push(performance.now() - started);
    const runs = await db.syncRun.findMany({
      where: { installationId: installation.installationId },
      select: { id: true },
    });
    await waitForRuns(runs.map((run) => run.id));
  }
  return times;
}

async function main(): Promise<void> {
  configureLogLevel();
  const databaseUrl = String(values["database-url"]);
  // Every status, so the sync copies all members the emulator generated (and the baseline writes them all).
  const installation = await connectInstallation({
    emulator,
    org: BENCH_ORG,
    settings: { memberStatuses: [...MEMBER_STATUSES] },
  });
  const worker: WorkerProcess = await startWorkerProcess(
    appEnv({
      databaseUrl,
      emulatorUrl: emulator.url,
      requestsPerMinute: budget || undefined,
      extra: { WORKER_CONCURRENCY: String(concurrency) },
    }),
  );
  try {
    // Idle: started (pg-boss, queues, first heartbeat written), nothing synced yet.
    await sleep(3_000);
    const idleRssBytes = worker.rss();
    progress(`worker idle: ${Math.round(idleRssBytes / 1048576)} MB`);

    const full = await timedPass(installation.installationId, "full");
    progress(`full pass: ${(full.ms / 1000).toFixed(1)} s, ${full.requests} requests`);
    const peakAfterFull = worker.peakRss();
    // Compared before the changes below: the incremental pass cannot see removals (webhooks carry those).
    const differences = values.verify
      ? (await compareWithEmulator({ emulator, installation, memberStatuses: [...MEMBER_STATUSES] })).length
      : null;

    // 1 % of the records change at OfficeRnD (members and companies created, updated and removed).
    const changes = Math.max(1, Math.ceil(full.records / 100));
    await emulator.control("/_emulator/activity", { org: BENCH_ORG, count: Math.min(changes, 10_000) });
    const incremental = {
      ...(await timedPass(installation.installationId, "incremental")),
      changes: Math.min(changes, 10_000),
    };
    progress(`incremental pass after ${incremental.changes} changes: ${incremental.requests} requests`);

    const liveRows =
      (await db.member.count({ where: { installationId: installation.installationId, deletedAt: null } })) +
      (await db.company.count({ where: { installationId: installation.installationId, deletedAt: null } })) +
      (await db.syncedLocation.count({
        where: { installationId: installation.installationId, deletedAt: null },
      }));

    const firstMembersMs =
      latencyTrials > 0 ? await firstMembersTrials(emulator, installation.locationIds, latencyTrials) : null;
    const peakRssBytes = Math.max(peakAfterFull, worker.peakRss());
    await worker.stop();

    let baselines: SizeResult["baselines"] = null;
    if (values.baseline) {
      baselines = {};
      for (const batchSize of [50, 1000]) {
        await db.$executeRawUnsafe(`TRUNCATE "Member", "Company", "SyncedLocation"`);
        const baselineStarted = performance.now();
        const rows = await writeBaseline({
          installationId: installation.installationId,
          org: BENCH_ORG,
          seed: BENCH_SEED,
          members,
          companies,
          locations,
          batchSize,
          parallelism: concurrency,
        });
        baselines[String(batchSize)] = { ms: performance.now() - baselineStarted, rows };
      }
    }
    const result: SizeResult = {
      members,
      companies,
      locations,
      concurrency,
      budget,
      full,
      incremental,
      idleRssBytes,
      peakRssBytes,
      liveRows,
      differences,
      baselines,
      firstMembersMs,
    };
    printResult(RESULT_MARKER, result);
  } finally {
    await worker.stop();
    await stopSender();
    await closeSqlPool();
    await db.$disconnect();
  }
  process.exit(0);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
