// npm run bench:http – load on the signed endpoints of the production build (`next start`) with 1,000
// installations in the database, against a same-run baseline: a bare node:http server doing the same
// verification and database lookup. Prints requests/s, p50/p99 latency, errors, the ratio of each route
// to Next's floor (the empty /api/health route, same run) and to the baseline, the database transactions
// each request costs, and p99 at a fixed 200 req/s per route (issue 16 §1). A script: it asserts nothing.
import pg from "pg";
import { randomBytes, randomUUID } from "node:crypto";
import path from "node:path";
import autocannon from "autocannon";
import { parseKeyring } from "../lib/crypto/keyring.ts";
import { signQuery, signWebhook } from "../lib/officernd/signature.ts";
import {
  createDatabaseIfMissing,
  dropDatabase,
  MIGRATIONS_DIR,
  PROJECT_DIR,
  withDatabase,
} from "../scripts/lib/database.ts";
import { migrate } from "../scripts/lib/migrations.ts";
import { runToCompletion, startProcess, waitForHttp } from "../scripts/lib/processes.ts";
import { ensureTestServer, uniqueDatabaseName } from "../test/support/test-postgres.ts";
import { startBaseline } from "./http-baseline.ts";
import { insertInstallations, type BenchInstallation } from "./http-fixtures.ts";

const INSTALLATIONS = 1_000;
const DURATION_SECONDS = Number(process.env.BENCH_DURATION ?? 10);
const CONNECTIONS = 16;
const APP_PORT = Number(process.env.BENCH_APP_PORT ?? 3500);
/** Issue 16 §1 goals, as ratios of each route's throughput to Next's floor measured in the same run. */
const FLOOR_GOALS: Record<string, number> = { healthcheck: 0.6, webhook: 0.6, "sync toggle": 0.4 };
const P99_GOAL_MS = 25;
const DIST_DIR = ".next-bench";
const BIN = path.join(PROJECT_DIR, "node_modules", ".bin");

const pick = (installations: BenchInstallation[]) =>
  installations[Math.floor(Math.random() * installations.length)]!;
const now = () => Math.floor(Date.now() / 1000);

function signedPath(route: string, installation: BenchInstallation, extra: [string, string][] = []): string {
  // A fresh memberId makes every request unique, so replay protection never refuses a load request.
  const params: [string, string][] = [
    ["slug", installation.orgSlug],
    ["locations", installation.locationsKey],
    ["organizationId", "5b5b68eb74565a0e0000b068"],
    ["memberId", randomBytes(12).toString("hex")],
    ...extra,
  ];
  const query = new URLSearchParams(params);
  query.append("signature", signQuery(params, installation.secret, now()));
  return `${route}?${query.toString()}`;
}

type Scenario = {
  name: string;
  request: () => { method: "GET" | "POST"; path: string; headers?: Record<string, string>; body?: string };
};

function scenarios(installations: BenchInstallation[]): Scenario[] {
  return [
    // No database, no crypto: what the framework itself costs per request, for reading the ratios below.
    { name: "health (floor)", request: () => ({ method: "GET", path: "/api/health" }) },
    {
      name: "healthcheck",
      request: () => ({ method: "GET", path: signedPath("/api/officernd/healthcheck", pick(installations)) }),
    },
    {
      name: "sync toggle",
      request: () => ({
        method: "GET",
        path: signedPath("/api/officernd/sync", pick(installations), [
          ["enabled", Math.random() < 0.5 ? "true" : "false"],
        ]),
      }),
    },
    {
      name: "webhook",
      request: () => {
        const installation = pick(installations);
        const body = JSON.stringify({
          id: randomUUID(),
          eventType: "member.updated",
          data: {
            object: {
              _id: randomBytes(12).toString("hex"),
              name: "Load Test",
              modifiedAt: new Date().toISOString(),
            },
          },
        });
        return {
          method: "POST",
          path: `/api/webhooks/officernd/${installation.id}`,
          body,
          headers: {
            "content-type": "application/json",
            "officernd-signature": signWebhook(body, installation.webhookSecret, now()),
          },
        };
      },
    },
  ];
}

type Figures = { rps: number; p50: number; p99: number; errors: number; total: number };

async function load(
  url: string,
  scenario: Scenario,
  options: { overallRate?: number } = {},
): Promise<Figures> {
  const result = await autocannon({
    url,
    // A fixed rate needs few connections: many idle ones make autocannon send in bursts.
    connections: options.overallRate ? 4 : CONNECTIONS,
    duration: DURATION_SECONDS,
    ...(options.overallRate ? { overallRate: options.overallRate } : {}),
    requests: [
      { setupRequest: (request: Record<string, unknown>) => ({ ...request, ...scenario.request() }) },
    ],
  });
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts + result.non2xx,
    total: result.requests.total,
  };
}

/**
 * Transactions the app's database has committed or rolled back so far. Backends report their counts
 * when idle for a moment (PostgreSQL 15+ flushes pending statistics within ~10 s), so callers wait.
 */
async function transactionCount(databaseUrl: string): Promise<number> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: string }>(
      "SELECT (xact_commit + xact_rollback)::text AS n FROM pg_stat_database WHERE datname = current_database()",
    );
    return Number(rows[0]?.n ?? 0);
  } finally {
    await client.end();
  }
}

const STATS_FLUSH_MS = 11_000;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const format = (figures: Figures) =>
  `${figures.rps.toFixed(0).padStart(7)} req/s  p50 ${String(figures.p50).padStart(4)} ms  p99 ${String(figures.p99).padStart(4)} ms  errors ${figures.errors}/${figures.total}`;

async function main(): Promise<void> {
  // Always measure the code as it is now (a stale build would measure an older app).
  await runToCompletion("next build", path.join(BIN, "next"), ["build"], {
    NEXT_DIST_DIR: DIST_DIR,
    NEXT_TELEMETRY_DISABLED: "1",
  });
  const server = await ensureTestServer();
  const database = uniqueDatabaseName("bench_http");
  await createDatabaseIfMissing(server.adminUrl, database);
  const databaseUrl = withDatabase(server.adminUrl, database);
  await migrate(databaseUrl, MIGRATIONS_DIR);
  const encryptionKey = `bench:${randomBytes(32).toString("base64")}`;
  const keyring = parseKeyring(encryptionKey);
  console.log(`Inserting ${INSTALLATIONS} installations…`);
  const installations = await insertInstallations(databaseUrl, keyring, INSTALLATIONS);

  // BENCH_CPU_PROFILE=1 writes a V8 CPU profile of the app to .data/cpu-profiles/ (open it in Chrome
  // DevTools).
  const [command, args] = process.env.BENCH_CPU_PROFILE
    ? [
        process.execPath,
        [
          "--cpu-prof",
          "--cpu-prof-dir=.data/cpu-profiles",
          path.join(PROJECT_DIR, "node_modules", "next", "dist", "bin", "next"),
          "start",
          "--port",
          String(APP_PORT),
        ],
      ]
    : [path.join(BIN, "next"), ["start", "--port", String(APP_PORT)]];
  const app = startProcess("next", command, args, {
    quiet: true,
    env: {
      NODE_ENV: "production",
      NEXT_DIST_DIR: DIST_DIR,
      NEXT_TELEMETRY_DISABLED: "1",
      DATABASE_URL: databaseUrl,
      APP_URL: `http://localhost:${APP_PORT}`,
      NEXTAUTH_SECRET: randomBytes(32).toString("hex"),
      ENCRYPTION_KEY: encryptionKey,
      OFFICERND_CLIENT_ID: "bench",
      OFFICERND_CLIENT_SECRET: "bench",
      LOG_LEVEL: "warn",
      METRICS_TOKEN: randomBytes(16).toString("hex"),
      // Public rate limits are per client IP; the benchmark is one IP sending thousands a second.
      RATE_LIMIT_PER_IP_PER_MINUTE: "0",
      RATE_LIMIT_PER_ORG_PER_MINUTE: "0",
    },
  });
  const baseline = await startBaseline(databaseUrl, keyring);
  const appUrl = `http://localhost:${APP_PORT}`;
  try {
    await waitForHttp(`${appUrl}/api/health`, 60_000, app);
    // Warm both up (JIT, connection pools, Next's route compilation) before measuring.
    for (const scenario of scenarios(installations)) {
      await autocannon({
        url: appUrl,
        connections: 4,
        amount: 200,
        requests: [
          { setupRequest: (request: Record<string, unknown>) => ({ ...request, ...scenario.request() }) },
        ],
      });
    }
    console.log(
      `\nMax throughput, ${CONNECTIONS} connections, ${DURATION_SECONDS} s per run, ${INSTALLATIONS} installations (${process.env.BENCH_NOTE ?? "2 cores shared by load generator, app and Postgres"})`,
    );
    const summary: string[] = [];
    let floor = 0;
    for (const scenario of scenarios(installations)) {
      await pause(STATS_FLUSH_MS);
      const before = await transactionCount(databaseUrl);
      const appFigures = await load(appUrl, scenario);
      await pause(STATS_FLUSH_MS);
      const perRequest = (await transactionCount(databaseUrl)) - before;
      const baseFigures = await load(baseline.url, scenario);
      if (scenario.name === "health (floor)") floor = appFigures.rps;
      const toFloor = floor > 0 ? appFigures.rps / floor : 0;
      console.log(`  ${scenario.name.padEnd(14)} app      ${format(appFigures)}`);
      console.log(`  ${"".padEnd(14)} baseline ${format(baseFigures)}`);
      console.log(
        `  ${"".padEnd(14)} ratio to floor ${toFloor.toFixed(2)}, to baseline ${(appFigures.rps / baseFigures.rps).toFixed(2)}; ` +
          `database transactions per request ${(perRequest / Math.max(1, appFigures.total)).toFixed(2)}`,
      );
      const goal = FLOOR_GOALS[scenario.name];
      if (goal !== undefined)
        summary.push(
          `  ${scenario.name.padEnd(14)} ${toFloor.toFixed(2)}× floor (goal ≥ ${goal}) → ${toFloor >= goal ? "met" : "NOT met"}`,
        );
    }
    console.log(
      `\nEach route at a fixed 200 req/s for ${DURATION_SECONDS} s (app; goal p99 < ${P99_GOAL_MS} ms, 0 errors)`,
    );
    for (const scenario of scenarios(installations).slice(1)) {
      const fixed = await load(appUrl, scenario, { overallRate: 200 });
      const isMet = fixed.p99 < P99_GOAL_MS && fixed.errors === 0;
      console.log(`  ${scenario.name.padEnd(14)} ${format(fixed)} → ${isMet ? "met" : "NOT met"}`);
    }
    console.log(
      `\nThroughput against Next's floor (${floor.toFixed(0)} req/s in this run)\n${summary.join("\n")}`,
    );
  } finally {
    await app.stop();
    await baseline.close();
    await dropDatabase(server.adminUrl, database).catch(() => undefined);
    await server.stop();
  }
}

await main();
