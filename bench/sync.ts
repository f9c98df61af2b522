// npm run bench:sync – a full sync and an incremental one against the emulator, with the worker as
// deployed, counted at the emulator and compared with a same-run baseline.
//
//   npm run bench:sync                         10,000 and 100,000 members (1 company per 10 members)
//   npm run bench:sync -- --with-1m            adds 1,000,000 members (several minutes)
//   npm run bench:sync -- --budget 600         at OfficeRnD's limit: the emulator refuses (429 + Retry-After)
//                                              reads beyond 600 a minute and our client's budget is 600 too
//   npm run bench:sync -- --sizes 5000,20000 --concurrency 4 --locations 4 --verify --latency-trials 9
//   npm run bench:sync -- --sizes 1000000 --no-baseline --latency-trials 0     memory at 1M, sooner
//
// Each size: a fresh emulator process seeded with that many members over 10 locations, a fresh
// database, and a child process that starts a real worker process (package.json's `worker` script),
// reads its resident memory idle and at its peak, runs a full sync of every location, then an
// incremental one after 1 % of the records changed at the emulator (requests counted there), and,
// without a budget, writes the same rows straight into Postgres with the same batched upsert (the
// baseline). Without a budget the first size also measures Sync on → first members visible.
import { parseArgs } from "node:util";
import { appEnv, runBenchChild, startBenchEmulator } from "./lib/bench-run.ts";
import { benchServer, freshDatabase } from "./lib/bench-database.ts";
import { mb, perSecond } from "./lib/measure.ts";
import type { Pass, SizeResult } from "./lib/run-size.ts";

const RESULT_MARKER = "BENCH_RESULT";
/** API v2 pages hold at most 50 records: 20 requests per 1,000 records is the floor. */
const PAGE = 50;
/** Phases walked per location: the location itself, its companies, its members. */
const RESOURCES_PER_LOCATION = 3;

const { values } = parseArgs({
  options: {
    sizes: { type: "string" },
    "with-1m": { type: "boolean" },
    concurrency: { type: "string" },
    locations: { type: "string" },
    verify: { type: "boolean" },
    budget: { type: "string" },
    "latency-trials": { type: "string" },
    "no-baseline": { type: "boolean" },
  },
});
const budget = Number(values.budget ?? 0);
if (!Number.isInteger(budget) || budget < 0)
  throw new Error("--budget is requests per minute, a whole number");
const sizes = (values.sizes ?? (budget > 0 ? "10000" : "10000,100000")).split(",").map(Number);
if (values["with-1m"]) sizes.push(1_000_000);
const concurrency = values.concurrency ?? "2";
const locations = Number(values.locations ?? 10);
const latencyTrials = budget > 0 ? 0 : Number(values["latency-trials"] ?? 7);

async function main(): Promise<void> {
  const server = await benchServer();
  console.log(
    `Postgres: ${server.source}. Worker concurrency: ${concurrency}. Emulator: acme-coworking, ${locations} locations, ` +
      (budget > 0
        ? `read limit ${budget}/min (429 + Retry-After beyond it); our request budget ${budget}/min.`
        : "no read limit.") +
      "\n",
  );
  const results: SizeResult[] = [];
  try {
    for (const [index, members] of sizes.entries()) {
      const companies = Math.round(members / 10);
      const emulator = await startBenchEmulator({
        size: { members, companies, locations },
        readRateLimit: budget,
      });
      const database = await freshDatabase(server.adminUrl);
      try {
        console.log(`${members.toLocaleString("en")} members, ${companies.toLocaleString("en")} companies …`);
        const result = await runBenchChild<SizeResult>({
          script: "bench/lib/run-size.ts",
          marker: RESULT_MARKER,
          env: appEnv({
            databaseUrl: database.url,
            emulatorUrl: emulator.url,
            requestsPerMinute: budget || undefined,
          }),
          args: [
            "--emulator-url",
            emulator.url,
            "--database-url",
            database.url,
            "--members",
            String(members),
            "--companies",
            String(companies),
            "--concurrency",
            concurrency,
            "--locations",
            String(locations),
            "--budget",
            String(budget),
            "--latency-trials",
            String(index === 0 ? latencyTrials : 0),
            ...(values.verify ? ["--verify"] : []),
            ...(budget > 0 || values["no-baseline"] ? [] : ["--baseline"]),
          ],
        });
        results.push(result);
      } finally {
        await emulator.stop();
        await database.drop();
      }
    }
  } finally {
    await server.stop();
  }
  report(results);
}

function requestLine(pass: Pass): string {
  return `${pass.requests.toLocaleString("en")} API requests (${pass.throttled} answered 429), ${pass.token} token requests`;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function report(results: SizeResult[]): void {
  console.log("");
  for (const result of results) {
    const { full, incremental } = result;
    console.log(
      `== ${result.members.toLocaleString("en")} members + ${result.companies.toLocaleString("en")} companies + ${result.locations} locations (${full.records.toLocaleString("en")} records) ==`,
    );
    console.log(
      `  full sync (API → worker → Postgres): ${(full.ms / 1000).toFixed(2)} s, ${perSecond(full.records, full.ms).toLocaleString("en")} records/s`,
    );
    const perThousand = (full.requests / full.records) * 1000;
    console.log(`    ${requestLine(full)}`);
    console.log(
      `    requests per 1,000 records: ${perThousand.toFixed(2)} (floor ${1000 / PAGE} at ${PAGE} per page; goal ≤ 21: ${perThousand <= 21 ? "met" : "NOT met"})`,
    );
    if (result.budget > 0) {
      const minimumMs = (full.requests / result.budget) * 60_000;
      const ratio = full.ms / minimumMs;
      console.log(
        `    wall time against the budget-bound minimum (requests / budget = ${(minimumMs / 1000).toFixed(1)} s): ×${ratio.toFixed(3)} (goal ≤ 1.05: ${ratio <= 1.05 ? "met" : "NOT met"})`,
      );
    }
    const allowed = Math.ceil(incremental.changes / PAGE) + RESOURCES_PER_LOCATION * result.locations;
    console.log(
      `  incremental sync after ${incremental.changes.toLocaleString("en")} changes (1 %): ${(incremental.ms / 1000).toFixed(2)} s, ${incremental.records.toLocaleString("en")} records read`,
    );
    console.log(
      `    ${requestLine(incremental)}; goal ≤ ceil(changes / ${PAGE}) + ${RESOURCES_PER_LOCATION} × ${result.locations} locations = ${allowed}: ${incremental.requests <= allowed ? "met" : "NOT met"}`,
    );
    for (const pass of [full, incremental] as const)
      for (const route of pass.routes)
        console.log(
          `      ${pass === full ? "full" : "incr"} ${String(route.count).padStart(6)}  ${route.status}  ${route.route}`,
        );
    console.log(
      `  worker RSS: idle ${mb(result.idleRssBytes)} (goal < 150 MB: ${result.idleRssBytes < 150 * 1048576 ? "met" : "NOT met"}), peak ${mb(result.peakRssBytes)} (goal < 250 MB at 1M: ${result.peakRssBytes < 250 * 1048576 ? "under" : "OVER"} at this size)`,
    );
    console.log(
      `  rows live in our copy: ${result.liveRows.toLocaleString("en")}${result.differences === null ? "" : `; differences from the emulator after the full pass: ${result.differences}`}`,
    );
    if (result.baselines) {
      const syncRate = perSecond(full.records, full.ms);
      for (const batch of ["50", "1000"]) {
        const base = result.baselines[batch]!;
        const rate = perSecond(base.rows, base.ms);
        console.log(
          `  baseline, same upsert, ${batch}-row batches: ${(base.ms / 1000).toFixed(2)} s, ${rate.toLocaleString("en")} records/s → sync/baseline ${(syncRate / rate).toFixed(2)}`,
        );
      }
    }
    if (result.firstMembersMs) {
      const p50 = median(result.firstMembersMs);
      console.log(
        `  Sync on → first members visible (${Math.round(result.members / result.locations).toLocaleString("en")}-member location, ${result.firstMembersMs.length} trials): p50 ${(p50 / 1000).toFixed(2)} s (goal < 5 s: ${p50 < 5000 ? "met" : "NOT met"}); ${result.firstMembersMs.map((ms) => (ms / 1000).toFixed(2)).join(", ")} s`,
      );
    }
  }
  const [smallest] = results;
  if (results.length > 1 && smallest) {
    console.log("\nGrowth relative to the smallest size (linear time means time ratio ≈ size ratio):");
    for (const result of results) {
      const sizeRatio = result.full.records / smallest.full.records;
      const timeRatio = result.full.ms / smallest.full.ms;
      console.log(
        `  ${result.members.toLocaleString("en").padStart(9)} members: size ×${sizeRatio.toFixed(1)}, time ×${timeRatio.toFixed(1)} (${((result.full.ms / result.full.records) * 1000).toFixed(0)} µs/record), worker peak RSS ${mb(result.peakRssBytes)}`,
      );
    }
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
