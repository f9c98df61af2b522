// npm test – the whole suite: type-check, lint, format, unit/integration/emulator tests (vitest),
// the production build, and end-to-end tests (Playwright in Chromium). One PostgreSQL serves it all.
// Ends with "N passed, N failed" counting every test case plus each static check.
import { spawn } from "node:child_process";
import { mkdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { PROJECT_DIR } from "./lib/database.ts";
import { ensureTestServer } from "../test/support/test-postgres.ts";

const RESULTS_DIR = path.join(PROJECT_DIR, ".data", "test-results");
const BIN = path.join(PROJECT_DIR, "node_modules", ".bin");
const DIST_DIR = ".next-test";

type Tally = { passed: number; failed: number; skipped: number };
type Step = { name: string; tally: Tally; seconds: number };

function run(command: string, args: string[], env: Record<string, string | undefined> = {}): Promise<boolean> {
  return new Promise((resolve) => {
    const child = spawn(path.join(BIN, command), args, { cwd: PROJECT_DIR, stdio: "inherit", env: { ...process.env, ...env } });
    child.once("exit", (code) => resolve(code === 0));
  });
}

function readJson<T>(file: string): T | undefined {
  try {
    return JSON.parse(readFileSync(file, "utf8")) as T;
  } catch {
    return undefined;
  }
}

const steps: Step[] = [];
async function step(name: string, body: () => Promise<Tally>): Promise<Tally> {
  console.log(`\n━━ ${name} ━━`);
  const started = Date.now();
  const tally = await body();
  steps.push({ name, tally, seconds: (Date.now() - started) / 1000 });
  return tally;
}
const check = (isOk: boolean): Tally => ({ passed: isOk ? 1 : 0, failed: isOk ? 0 : 1, skipped: 0 });

async function main(): Promise<number> {
  rmSync(RESULTS_DIR, { recursive: true, force: true });
  mkdirSync(RESULTS_DIR, { recursive: true });
  const server = await ensureTestServer();
  const env = { TEST_DATABASE_ADMIN_URL: server.adminUrl, NEXT_TELEMETRY_DISABLED: "1" };
  try {
    await step("type-check", async () => check(await run("tsc", ["--noEmit"])));
    await step("lint", async () => check(await run("eslint", ["--max-warnings=0", "."])));
    await step("format", async () => check(await run("prettier", ["--check", "--log-level=warn", "."])));
    await step("vitest (unit, integration, emulator)", async () => {
      const output = path.join(RESULTS_DIR, "vitest.json");
      const isOk = await run("vitest", ["run", "--reporter=default", "--reporter=json", `--outputFile.json=${output}`], env);
      const report = readJson<{ numPassedTests: number; numFailedTests: number; numPendingTests: number; numTodoTests: number }>(output);
      if (!report) return check(false);
      return {
        passed: report.numPassedTests,
        failed: report.numFailedTests + (isOk || report.numFailedTests > 0 ? 0 : 1),
        skipped: report.numPendingTests + report.numTodoTests,
      };
    });
    const isBuilt = await step("next build", async () => check(await run("next", ["build"], { ...env, NEXT_DIST_DIR: DIST_DIR })));
    await step("playwright (api, ui, faults, audit)", async () => {
      if (isBuilt.failed) return check(false);
      const output = path.join(RESULTS_DIR, "playwright.json");
      const isOk = await run("playwright", ["test"], { ...env, NEXT_DIST_DIR: DIST_DIR, PLAYWRIGHT_JSON_OUTPUT_NAME: output });
      const report = readJson<{ stats: { expected: number; unexpected: number; flaky: number; skipped: number } }>(output);
      if (!report) return check(false);
      const { expected, unexpected, flaky, skipped } = report.stats;
      return { passed: expected + flaky, failed: unexpected + (isOk || unexpected > 0 ? 0 : 1), skipped };
    });
  } finally {
    await server.stop();
  }
  const total = steps.reduce(
    (sum, { tally }) => ({ passed: sum.passed + tally.passed, failed: sum.failed + tally.failed, skipped: sum.skipped + tally.skipped }),
    { passed: 0, failed: 0, skipped: 0 },
  );
  console.log("\nSummary");
  for (const { name, tally, seconds } of steps)
    console.log(`  ${tally.failed ? "✗" : "✓"} ${name.padEnd(40)} ${tally.passed} passed, ${tally.failed} failed (${seconds.toFixed(1)} s)`);
  console.log(`\n${total.passed} passed, ${total.failed} failed${total.skipped ? `, ${total.skipped} skipped` : ""}`);
  return total.failed === 0 ? 0 : 1;
}

process.exitCode = await main();
