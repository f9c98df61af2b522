// npm run bench:http-profile [-- --no-build] [--seconds N] [route names…] – where the signed routes'
// time goes: for each route of bench:http, a fresh `next start` of the production build under
// `node --cpu-prof`, the bench's load for N seconds (16 connections), then the profile summed by
// function and by area (package, our source file, Node), mapped back through the build's source maps.
// The raw profiles stay in .data/cpu-profiles/<run>/ (open them in Chrome DevTools). A script: it
// asserts nothing.
import { mkdirSync, readdirSync } from "node:fs";
import path from "node:path";
import autocannon from "autocannon";
import { PROJECT_DIR } from "../scripts/lib/database.ts";
import { startProcess, waitForHttp } from "../scripts/lib/processes.ts";
import { summariseProfile } from "./lib/cpu-profile.ts";
import { prepareHttpBench } from "./lib/http-bench-database.ts";
import { benchAppEnv, scenarios, type Scenario } from "./lib/http-scenarios.ts";

const args = process.argv.slice(2);
const SECONDS = Number(args[args.indexOf("--seconds") + 1] || 0) || 10;
const ROUTES = args.filter((arg, index) => !arg.startsWith("--") && args[index - 1] !== "--seconds");
const APP_PORT = Number(process.env.BENCH_APP_PORT ?? 3500);
const TOP = Number(process.env.PROFILE_TOP ?? 25);

const ms = (value: number, of: number) =>
  `${value.toFixed(0).padStart(6)} ms ${((100 * value) / of).toFixed(1).padStart(5)} %`;

async function profileRoute(
  scenario: Scenario,
  env: Record<string, string>,
  dir: string,
): Promise<{ requests: number; rps: number; window: { fromEndMs: number; toEndMs: number } }> {
  mkdirSync(dir, { recursive: true });
  const app = startProcess(
    "next",
    process.execPath,
    [
      "--cpu-prof",
      `--cpu-prof-dir=${dir}`,
      path.join(PROJECT_DIR, "node_modules", "next", "dist", "bin", "next"),
      "start",
      "--port",
      String(APP_PORT),
    ],
    { quiet: true, env },
  );
  const url = `http://localhost:${APP_PORT}`;
  const request = { setupRequest: (r: Record<string, unknown>) => ({ ...r, ...scenario.request() }) };
  try {
    await waitForHttp(`${url}/api/health`, 60_000, app);
    await autocannon({ url, connections: 4, amount: 300, requests: [request] });
    const started = performance.now();
    const result = await autocannon({ url, connections: 16, duration: SECONDS, requests: [request] });
    const ended = performance.now();
    await app.stop();
    // The profile ends when the process exits: the load phase is this far before its end.
    const exited = performance.now();
    return {
      requests: result.requests.total,
      rps: result.requests.average,
      window: { fromEndMs: exited - started, toEndMs: exited - ended },
    };
  } finally {
    await app.stop();
  }
}

async function main(): Promise<void> {
  const { databaseUrl, encryptionKey, installations, dispose } = await prepareHttpBench({
    name: "bench_profile",
    count: 1_000,
    build: !args.includes("--no-build"),
  });
  try {
    const env = benchAppEnv({ databaseUrl, encryptionKey, port: APP_PORT });
    const run = path.join(
      PROJECT_DIR,
      ".data",
      "cpu-profiles",
      new Date().toISOString().replace(/[:.]/g, "-"),
    );
    for (const scenario of scenarios(installations)) {
      if (ROUTES.length > 0 && !ROUTES.includes(scenario.name)) continue;
      const dir = path.join(run, scenario.name.replace(/\W+/g, "-"));
      const load = await profileRoute(scenario, env, dir);
      const file = readdirSync(dir).find((name) => name.endsWith(".cpuprofile"));
      if (!file) throw new Error(`No profile was written to ${dir}.`);
      const summary = summariseProfile(path.join(dir, file), load.window);
      const busy = summary.totalMs - (summary.areasBySelf.find(([area]) => area === "(idle)")?.[1] ?? 0);
      console.log(
        `\n=== ${scenario.name}: ${load.requests} requests, ${load.rps.toFixed(0)} req/s under the profiler; ` +
          `load phase ${(summary.totalMs / 1000).toFixed(1)} s, busy ${(busy / 1000).toFixed(1)} s ` +
          `(${((busy * 1000) / Math.max(1, load.requests)).toFixed(0)} µs of CPU per request) — ${path.join(dir, file)}`,
      );
      console.log(`-- areas by self time (% of the whole profile)`);
      for (const [area, value] of summary.areasBySelf.slice(0, TOP))
        console.log(`  ${ms(value, summary.totalMs)}  ${area}`);
      console.log(`-- areas by total time (on the stack)`);
      for (const [area, value] of summary.areasByTotal.slice(0, TOP))
        console.log(`  ${ms(value, summary.totalMs)}  ${area}`);
      console.log(`-- functions by self time`);
      for (const [name, value] of summary.bySelf.slice(0, TOP))
        console.log(`  ${ms(value, summary.totalMs)}  ${name}`);
      console.log(`-- our functions (lib/, app/) by total time`);
      for (const [name, value] of summary.byTotal.filter(([name]) => / (lib|app)\//.test(name)).slice(0, TOP))
        console.log(`  ${ms(value, summary.totalMs)}  ${name}`);
    }
  } finally {
    await dispose();
  }
}

await main();
