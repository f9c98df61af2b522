// npm test – the whole suite: a browser for the UI tests (found, or installed), type-check, lint, format,
// unit/integration/emulator tests (vitest), the production build, and end-to-end tests (Playwright in
// Chromium). One PostgreSQL serves it all. Ends with "N passed, N failed" over the test cases; the static
// checks and the build are listed apart. Ctrl-C stops the running step, then PostgreSQL, then whatever
// of the run is left.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { BROWSER_ENV, ensureBrowser } from "./lib/browser.ts";
import { SYSTEM_MACHINE } from "./lib/browser-system.ts";
import { PROJECT_DIR } from "./lib/database.ts";
import { claimRunTag, delay, killTagged, onStopSignals } from "./lib/shutdown.ts";
import { ensureTestServer } from "../test/support/test-postgres.ts";

const RESULTS_DIR = path.join(PROJECT_DIR, ".data", "test-results");
const BIN = path.join(PROJECT_DIR, "node_modules", ".bin");
const DIST_DIR = ".next-test";
/** How long the running step gets to wind down after Ctrl-C (Playwright stops its servers) before SIGKILL. */
const STEP_STOP_DEADLINE_MS = 30_000;

type Tally = { passed: number; failed: number; skipped: number };
type Step = { name: string; kind: "check" | "tests"; tally: Tally; seconds: number };

const runTag = claimRunTag();
let current: ChildProcess | undefined;
let server: { stop: () => Promise<void>; kill: () => void } | undefined;
let isStopping = false;

/** Runs a step's command in its own process group (so a stop reaches all of it) with our terminal. */
function run(
  command: string,
  args: string[],
  env: Record<string, string | undefined> = {},
): Promise<boolean> {
  if (isStopping) return Promise.resolve(false);
  return new Promise((resolve) => {
    const file = command.includes("/") ? command : path.join(BIN, command);
    const child = spawn(file, args, {
      cwd: PROJECT_DIR,
      stdio: "inherit",
      detached: true,
      env: { ...process.env, ...env },
    });
    current = child;
    child.once("error", () => resolve(false));
    child.once("exit", (code) => {
      if (current === child) current = undefined;
      resolve(code === 0);
    });
  });
}

function signalGroup(child: ChildProcess | undefined, signal: NodeJS.Signals): void {
  if (!child?.pid) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

async function interrupt(signal: NodeJS.Signals): Promise<void> {
  isStopping = true;
  console.error(
    `\n${signal}: stopping the running step, then PostgreSQL (Ctrl-C again to kill everything at once)…`,
  );
  const child = current;
  if (child && child.exitCode === null && child.signalCode === null) {
    const exited = new Promise((resolve) => child.once("exit", resolve));
    signalGroup(child, "SIGINT");
    await Promise.race([exited, delay(STEP_STOP_DEADLINE_MS)]);
    signalGroup(child, "SIGKILL");
  }
  await server?.stop();
  const leftovers = killTagged(runTag);
  if (leftovers > 0) console.error(`Killed ${leftovers} leftover process(es).`);
  process.exit(130);
}

function forceStop(): never {
  signalGroup(current, "SIGKILL");
  server?.kill();
  killTagged(runTag);
  process.exit(130);
}

function readJson<T>(file: string): T | undefined {
  try {
    return JSON.parse(readFileSync(file, "utf8")) as T;
  } catch {
    return undefined;
  }
}

const steps: Step[] = [];
async function step(name: string, kind: Step["kind"], body: () => Promise<Tally>): Promise<Tally> {
  if (isStopping) return { passed: 0, failed: 1, skipped: 0 };
  console.log(`\n━━ ${name} ━━`);
  const started = Date.now();
  const tally = await body();
  steps.push({ name, kind, tally, seconds: (Date.now() - started) / 1000 });
  return tally;
}
const check = (isOk: boolean): Tally => ({ passed: isOk ? 1 : 0, failed: isOk ? 0 : 1, skipped: 0 });

/** Finds Chromium, or installs it, before anything runs; on failure prints one line and stops. */
async function provideBrowser(): Promise<string | undefined> {
  try {
    const browser = await ensureBrowser(
      SYSTEM_MACHINE,
      ({ command, args }) =>
        command === "playwright"
          ? run("playwright", args)
          : run("/usr/bin/env", [command, ...args], { DEBIAN_FRONTEND: "noninteractive" }),
      (line) => console.log(line),
    );
    console.log(
      `Browser for the UI tests: ${browser.path} (${browser.source === "env" ? BROWSER_ENV : browser.source === "playwright" ? "Playwright's" : "system"})`,
    );
    return browser.path;
  } catch (error) {
    console.error(`\nnpm test cannot run the UI tests: ${(error as Error).message}`);
    return undefined;
  }
}

function printSummary(): number {
  const sum = (kind: Step["kind"]) =>
    steps
      .filter((entry) => entry.kind === kind)
      .reduce(
        (total, { tally }) => ({
          passed: total.passed + tally.passed,
          failed: total.failed + tally.failed,
          skipped: total.skipped + tally.skipped,
        }),
        {
          passed: 0,
          failed: 0,
          skipped: 0,
        },
      );
  const checks = sum("check");
  const tests = sum("tests");
  console.log("\nSummary");
  console.log("  checks");
  for (const { name, tally, seconds } of steps.filter((entry) => entry.kind === "check"))
    console.log(
      `    ${tally.failed ? "✗" : "✓"} ${name.padEnd(40)} ${tally.failed ? "failed" : "ok"} (${seconds.toFixed(1)} s)`,
    );
  console.log("  tests");
  for (const { name, tally, seconds } of steps.filter((entry) => entry.kind === "tests"))
    console.log(
      `    ${tally.failed ? "✗" : "✓"} ${name.padEnd(40)} ${tally.passed} passed, ${tally.failed} failed (${seconds.toFixed(1)} s)`,
    );
  console.log(`\nchecks: ${checks.passed} of ${checks.passed + checks.failed} ok`);
  console.log(
    `${tests.passed} passed, ${tests.failed} failed${tests.skipped ? `, ${tests.skipped} skipped` : ""}`,
  );
  return checks.failed === 0 && tests.failed === 0 ? 0 : 1;
}

async function main(): Promise<number> {
  onStopSignals((signal) => void interrupt(signal), forceStop);
  const browser = await provideBrowser();
  if (!browser) return 1;
  rmSync(RESULTS_DIR, { recursive: true, force: true });
  mkdirSync(RESULTS_DIR, { recursive: true });
  const testServer = await ensureTestServer();
  server = testServer;
  const env = {
    TEST_DATABASE_ADMIN_URL: testServer.adminUrl,
    NEXT_TELEMETRY_DISABLED: "1",
    [BROWSER_ENV]: browser,
  };
  try {
    await step("type-check", "check", async () => check(await run("tsc", ["--noEmit"])));
    await step("lint", "check", async () => check(await run("eslint", ["--max-warnings=0", "."])));
    await step("format", "check", async () =>
      check(await run("prettier", ["--check", "--log-level=warn", "."])),
    );
    await step("vitest (unit, integration, emulator)", "tests", async () => {
      const output = path.join(RESULTS_DIR, "vitest.json");
      const isOk = await run(
        "vitest",
        ["run", "--reporter=default", "--reporter=json", `--outputFile.json=${output}`],
        env,
      );
      const report = readJson<{
        numPassedTests: number;
        numFailedTests: number;
        numPendingTests: number;
        numTodoTests: number;
      }>(output);
      if (!report) return check(false);
      return {
        passed: report.numPassedTests,
        failed: report.numFailedTests + (isOk || report.numFailedTests > 0 ? 0 : 1),
        skipped: report.numPendingTests + report.numTodoTests,
      };
    });
    const isBuilt = await step("next build", "check", async () =>
      check(await run("next", ["build"], { ...env, NEXT_DIST_DIR: DIST_DIR })),
    );
    await step("playwright (api, ui, faults, audit)", "tests", async () => {
      if (isBuilt.failed) return check(false);
      const output = path.join(RESULTS_DIR, "playwright.json");
      const isOk = await run("playwright", ["test"], {
        ...env,
        NEXT_DIST_DIR: DIST_DIR,
        PLAYWRIGHT_JSON_OUTPUT_NAME: output,
      });
      const report = readJson<{
        stats: { expected: number; unexpected: number; flaky: number; skipped: number };
      }>(output);
      if (!report) return check(false);
      const { expected, unexpected, flaky, skipped } = report.stats;
      return { passed: expected + flaky, failed: unexpected + (isOk || unexpected > 0 ? 0 : 1), skipped };
    });
  } finally {
    if (!isStopping) await testServer.stop();
  }
  if (isStopping) return 130; // interrupt() ends the process once everything is stopped
  return printSummary();
}

process.exitCode = await main();
