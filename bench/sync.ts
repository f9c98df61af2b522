// npm run bench:sync – full-sync throughput and memory against the emulator, with a same-run baseline.
//
//   npm run bench:sync                       10,000 and 100,000 members (1 company per 10 members)
//   npm run bench:sync -- --with-1m          adds 1,000,000 members (several minutes)
//   npm run bench:sync -- --sizes 5000,20000 --concurrency 4 --locations 4 --verify
//
// Each size: a fresh emulator process (--read-rate-limit 0) seeded with that many members over 10
// locations (issue 7: "100,000 members and 10,000 companies across 10 locations"), a fresh database,
// and a child process that runs a real worker (pg-boss) through a full sync of every location and then
// writes the same rows straight into Postgres with the same batched upsert (the baseline).
import { spawn } from "node:child_process";
import path from "node:path";
import { parseArgs } from "node:util";
import { PROJECT_DIR } from "../scripts/lib/database.ts";
import { startEmulatorProcess } from "../test/support/emulator.ts";
import { benchServer, freshDatabase } from "./lib/bench-database.ts";
import { mb, perSecond } from "./lib/measure.ts";

type Result = {
  members: number;
  companies: number;
  concurrency: number;
  syncMs: number;
  synced: number;
  liveRows: number;
  differences: number | null;
  peakRssBytes: number;
  rssBeforeSync: number;
  maxRssBytes: number;
  locations: number;
  baselines: Record<string, { ms: number; rows: number }>;
};

const { values } = parseArgs({
  options: {
    sizes: { type: "string" },
    "with-1m": { type: "boolean" },
    concurrency: { type: "string" },
    locations: { type: "string" },
    verify: { type: "boolean" },
  },
});
const sizes = (values.sizes ?? "10000,100000").split(",").map(Number);
if (values["with-1m"]) sizes.push(1_000_000);
const concurrency = values.concurrency ?? "2";
const locations = values.locations ?? "10";

function runChild(env: Record<string, string>, args: string[]): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(path.join(PROJECT_DIR, "node_modules", ".bin", "tsx"), ["--conditions=react-server", "bench/lib/run-size.ts", ...args], {
      cwd: PROJECT_DIR,
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "inherit"],
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.once("exit", (code) => {
      const line = output.split("\n").find((text) => text.startsWith("BENCH_RESULT "));
      if (code !== 0 || !line) return reject(new Error(`benchmark child failed (${code}):\n${output}`));
      resolve(JSON.parse(line.slice("BENCH_RESULT ".length)) as Result);
    });
  });
}

async function main(): Promise<void> {
  const server = await benchServer();
  console.log(`Postgres: ${server.source}. Worker concurrency: ${concurrency}. Emulator: acme-coworking, ${locations} locations.\n`);
  const results: Result[] = [];
  try {
    for (const members of sizes) {
      const companies = Math.round(members / 10);
      const emulator = await startEmulatorProcess([
        "--members",
        String(members),
        "--companies",
        String(companies),
        "--locations",
        locations,
        "--read-rate-limit",
        "0",
      ]);
      const database = await freshDatabase(server.adminUrl);
      try {
        process.stdout.write(`${members.toLocaleString("en")} members, ${companies.toLocaleString("en")} companies … `);
        const result = await runChild(
          {
            DATABASE_URL: database.url,
            OFFICERND_IDENTITY_URL: emulator.url,
            OFFICERND_APP_URL: emulator.url,
            OFFICERND_CLIENT_ID: "demo-partner-app",
            OFFICERND_CLIENT_SECRET: "demo-partner-secret",
            NEXTAUTH_SECRET: "bench-nextauth-secret-0123456789abcdef0123",
            ENCRYPTION_KEY: "b1:" + Buffer.alloc(32, 9).toString("base64"),
            // The shared request budget stays in the path (one Postgres round trip per request), wide open.
            OFFICERND_API_REQUESTS_PER_MINUTE: "1000000",
            LOG_LEVEL: "warn",
          },
          [
            "--emulator-url",
            emulator.url,
            "--members",
            String(members),
            "--companies",
            String(companies),
            "--concurrency",
            concurrency,
            "--locations",
            locations,
            ...(values.verify ? ["--verify"] : []),
          ],
        );
        results.push(result);
        console.log(`sync ${(result.syncMs / 1000).toFixed(1)} s`);
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

function report(results: Result[]): void {
  console.log("");
  for (const result of results) {
    const syncRate = perSecond(result.synced, result.syncMs);
    const base50 = result.baselines["50"]!;
    const base1000 = result.baselines["1000"]!;
    const rate50 = perSecond(base50.rows, base50.ms);
    const rate1000 = perSecond(base1000.rows, base1000.ms);
    console.log(
      `== ${result.members.toLocaleString("en")} members + ${result.companies.toLocaleString("en")} companies + ${result.locations} locations (${result.synced.toLocaleString("en")} records) ==`,
    );
    console.log(`  full sync (API → worker → Postgres): ${(result.syncMs / 1000).toFixed(2)} s, ${syncRate.toLocaleString("en")} records/s`);
    console.log(
      `  worker peak RSS during the sync:     ${mb(result.peakRssBytes)} (before the sync ${mb(result.rssBeforeSync)}; process max ${mb(result.maxRssBytes)})`,
    );
    console.log(
      `  rows live in our copy:               ${result.liveRows.toLocaleString("en")}${result.differences === null ? "" : `, differences from the emulator: ${result.differences}`}`,
    );
    console.log(
      `  baseline, same upsert, 50-row batches:   ${(base50.ms / 1000).toFixed(2)} s, ${rate50.toLocaleString("en")} records/s → sync/baseline ${(syncRate / rate50).toFixed(2)}`,
    );
    console.log(
      `  baseline, same upsert, 1000-row batches: ${(base1000.ms / 1000).toFixed(2)} s, ${rate1000.toLocaleString("en")} records/s → sync/baseline ${(syncRate / rate1000).toFixed(2)}`,
    );
  }
  const [smallest] = results;
  if (results.length > 1 && smallest) {
    console.log("\nGrowth relative to the smallest size (linear time means time ratio ≈ size ratio):");
    for (const result of results) {
      const sizeRatio = result.synced / smallest.synced;
      const timeRatio = result.syncMs / smallest.syncMs;
      console.log(
        `  ${result.members.toLocaleString("en").padStart(9)} members: size ×${sizeRatio.toFixed(1)}, time ×${timeRatio.toFixed(1)} (${((result.syncMs / result.synced) * 1000).toFixed(0)} µs/record), peak RSS ${mb(result.peakRssBytes)}`,
      );
    }
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
