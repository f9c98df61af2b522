// npm run bench:api-calls – how many requests to OfficeRnD a full sync makes through API v1 and API v2.
//
//   npm run bench:api-calls                              10,000 members, 1,000 companies, 4 locations
//   npm run bench:api-calls -- --members 2000 --companies 200 --locations 2
//
// For each generation: a fresh emulator process seeded with that organisation (`v2` profile, and
// `v1-only`, where API v2 refuses the legacy scopes so OFFICERND_API=auto falls back to v1), a fresh
// database, and a child process that runs the full sync of every location to the end and checks the
// copy against the emulator's records. The requests are counted at the emulator (GET /_emulator/requests).
import { parseArgs } from "node:util";
import { appEnv, BENCH_ORG as ORG, runBenchChild, startBenchEmulator } from "./lib/bench-run.ts";
import { benchServer, freshDatabase } from "./lib/bench-database.ts";

type ChildResult = {
  runs: number;
  locations: number;
  members: number;
  companies: number;
  differences: number;
  generation: string | null;
  reason: string;
};
type Requests = {
  total: number;
  apiV1: number;
  apiV2: number;
  token: number;
  routes: Array<{ route: string; status: number; count: number }>;
};
type Result = ChildResult & { profile: string; requests: Requests };

const RESULT_MARKER = "API_CALLS_RESULT";
const { values } = parseArgs({
  options: { members: { type: "string" }, companies: { type: "string" }, locations: { type: "string" } },
});
const members = Number(values.members ?? 10_000);
const companies = Number(values.companies ?? Math.round(members / 10));
const locations = Number(values.locations ?? 4);

async function measure(adminUrl: string, profile: "v2" | "v1-only"): Promise<Result> {
  const emulator = await startBenchEmulator({ size: { members, companies, locations }, profile });
  const database = await freshDatabase(adminUrl);
  try {
    const result = await runBenchChild<ChildResult>({
      script: "bench/lib/api-calls-run.ts",
      marker: RESULT_MARKER,
      env: appEnv({ databaseUrl: database.url, emulatorUrl: emulator.url, extra: { OFFICERND_API: "auto" } }),
      args: ["--emulator-url", emulator.url, "--org", ORG],
    });
    const requests = await emulator.control<Requests>("/_emulator/requests");
    return { ...result, profile, requests };
  } finally {
    await emulator.stop();
    await database.drop();
  }
}

async function main(): Promise<void> {
  const server = await benchServer();
  console.log(
    `Postgres: ${server.source}. Emulator: ${ORG}, ${members.toLocaleString("en")} members, ${companies.toLocaleString("en")} companies, ${locations} locations.\n`,
  );
  const results: Result[] = [];
  try {
    for (const profile of ["v1-only", "v2"] as const) {
      process.stdout.write(`profile ${profile} … `);
      const result = await measure(server.adminUrl, profile);
      results.push(result);
      console.log(`API ${result.generation}: ${result.requests.total} requests`);
    }
  } finally {
    await server.stop();
  }
  console.log("");
  for (const result of results) {
    console.log(
      `== API ${result.generation} (emulator profile ${result.profile}; ${result.reason}) ==\n` +
        `  ${result.requests.total} requests to OfficeRnD (API v1 ${result.requests.apiV1}, API v2 ${result.requests.apiV2}, token ${result.requests.token}) ` +
        `for ${result.members.toLocaleString("en")} members + ${result.companies.toLocaleString("en")} companies copied in ${result.locations} locations (${result.runs} runs); ` +
        `copy ${result.differences === 0 ? "equal to the emulator's records" : `DIFFERS in ${result.differences} records`}`,
    );
    for (const route of result.requests.routes)
      console.log(`    ${String(route.count).padStart(6)}  ${route.status}  ${route.route}`);
  }
  const [v1, v2] = results;
  if (v1 && v2)
    console.log(
      `\nv1 / v2 = ${v1.requests.total} / ${v2.requests.total} = ${(v1.requests.total / v2.requests.total).toFixed(2)}`,
    );
  if (results.some((result) => result.differences !== 0)) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
