// npm run test:mutation [-- [--unit] <module> …] – StrykerJS over the modules where a silent regression costs
// most (MODULES), or over those named (a file or folder, e.g. lib/crypto). One Stryker run per module, with
// the test files that cover it (TESTS: unit tests beside the module and the integration tests against real
// Postgres that reach it); starts the test database once, then prints the mutation score and minutes per
// module. HTML report with every surviving mutant: .data/mutation/<module>/index.html (JSON beside it).
// Slow (minutes per module): not part of npm test. --unit keeps only the unit tests: a quick lower bound.
import path from "node:path";
import { Stryker } from "@stryker-mutator/core";
import type { MutantResult } from "@stryker-mutator/api/core";
import { PROJECT_DIR } from "./lib/database.ts";
import { ensureTestServer } from "../test/support/test-postgres.ts";

/**
 * The modules of issue 18 and the test files that cover each; a folder counts as one module. Listed
 * quickest first: a mutant's run stops at its first failing test (vitest.mutation.config.ts keeps this
 * order).
 */
export const TESTS: Record<string, string[]> = {
  "lib/officernd/signature.ts": [
    "lib/officernd/signature.test.ts",
    "lib/officernd/signature.property.test.ts",
    "lib/officernd/signed-variants.test.ts",
  ],
  "lib/officernd/signed-query.ts": [
    "lib/officernd/signed-query.test.ts",
    "lib/officernd/signed-variants.test.ts",
  ],
  "lib/installations/resolve-signed-installation.ts": [
    "test/signed-candidates.test.ts",
    "test/signed-cache.test.ts",
    "test/signed-configure.test.ts",
    "test/signed-bad-input.test.ts",
    "test/signed-locations-heal.test.ts",
    "test/signed-explainer.test.ts",
  ],
  "lib/installations/replay.ts": ["test/replay-ledger.test.ts"],
  "lib/webhooks/process-event.ts": [
    "lib/webhooks/is-before-connection.test.ts",
    "test/webhook-event-job.test.ts",
    "test/webhooks-processing.test.ts",
  ],
  "lib/sync/upsert-sql.ts": [
    "test/sync-upsert.test.ts",
    "test/sync-settings-removals.test.ts",
    "test/sync-delete-guard.test.ts",
  ],
  "lib/sync/plan.ts": ["lib/sync/plan.test.ts"],
  "lib/crypto": [
    "lib/crypto/encryption.test.ts",
    "test/secrets.test.ts",
    "test/keys-rotation.test.ts",
    "test/keys-rotation-tables.test.ts",
  ],
  "lib/officernd/tokens.ts": [
    "lib/officernd/tokens.test.ts",
    "test/tokens-refresh.test.ts",
    "test/connect-token-budget.test.ts",
  ],
};
export const MODULES = Object.keys(TESTS);

/**
 * Stryker runs a mutant with only the tests that executed it in its first run ("perTest"). upsert.ts
 * keeps the statements upsertSql builds in a module-level cache, so only the first test of a file to
 * write a kind of row executes upsertSql: every test of the listed files must run for its mutants.
 */
const COVERAGE_ANALYSIS: Record<string, "perTest" | "all"> = { "lib/sync/upsert-sql.ts": "all" };

const DETECTED = ["Killed", "Timeout"];
const COUNTED = ["Killed", "Timeout", "Survived", "NoCoverage"];

const mutateGlobs = (module: string) =>
  module.endsWith(".ts") ? [module] : [`${module}/**/*.ts`, `!${module}/**/*.test.ts`];
const reportDir = (module: string) =>
  `.data/mutation/${module
    .replace(/^lib\//, "")
    .replace(/\.ts$/, "")
    .replaceAll("/", "-")}`;

type Row = { module: string; counts: Record<string, number>; minutes: number; mutants: number };

async function mutate(module: string, isUnitOnly: boolean): Promise<Row> {
  const tests = (TESTS[module] ?? []).filter((file) => !isUnitOnly || !file.startsWith("test/"));
  if (tests.length === 0)
    throw new Error(`${module}: no ${isUnitOnly ? "unit " : ""}tests listed in scripts/mutation.ts TESTS`);
  process.env.MUTATION_TESTS = tests.join(",");
  const started = Date.now();
  const results: MutantResult[] = await new Stryker({
    mutate: mutateGlobs(module),
    coverageAnalysis: COVERAGE_ANALYSIS[module] ?? "perTest",
    vitest: { configFile: "vitest.mutation.config.ts", related: false },
    htmlReporter: { fileName: `${reportDir(module)}/index.html` },
    jsonReporter: { fileName: `${reportDir(module)}/report.json` },
  }).runMutationTest();
  const counts: Record<string, number> = {};
  for (const result of results) counts[result.status] = (counts[result.status] ?? 0) + 1;
  return { module, counts, minutes: (Date.now() - started) / 60_000, mutants: results.length };
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const isUnitOnly = args.includes("--unit");
  const requested = args
    .filter((arg) => arg !== "--unit")
    .map((arg) => path.relative(PROJECT_DIR, path.resolve(PROJECT_DIR, arg)).replace(/\/+$/, ""));
  const modules = requested.length > 0 ? requested : MODULES;
  const server = await ensureTestServer();
  process.env.TEST_DATABASE_ADMIN_URL = server.adminUrl;
  const rows: Row[] = [];
  try {
    for (const target of modules) rows.push(await mutate(target, isUnitOnly));
  } finally {
    await server.stop();
  }

  console.log(
    "\nMutation score per module (killed + timed out) / (killed + timed out + survived + no coverage)",
  );
  let isBelowGoal = false;
  for (const { module, counts, minutes } of rows) {
    const detected = DETECTED.reduce((sum, status) => sum + (counts[status] ?? 0), 0);
    const counted = COUNTED.reduce((sum, status) => sum + (counts[status] ?? 0), 0);
    const score = counted === 0 ? 100 : (100 * detected) / counted;
    if (score < 85) isBelowGoal = true;
    console.log(
      `  ${score >= 85 ? "✓" : "✗"} ${module.padEnd(50)} ${score.toFixed(1).padStart(5)} %  ` +
        `killed ${counts.Killed ?? 0}, timeout ${counts.Timeout ?? 0}, survived ${counts.Survived ?? 0}, ` +
        `no coverage ${counts.NoCoverage ?? 0}  (${minutes.toFixed(1)} min) ${reportDir(module)}/index.html`,
    );
  }
  const total = rows.reduce((sum, row) => sum + row.minutes, 0);
  console.log(
    `\n${rows.reduce((sum, row) => sum + row.mutants, 0)} mutants in ${total.toFixed(1)} min (goal: ≥ 85 % per module)`,
  );
  return isBelowGoal ? 1 : 0;
}

process.exitCode = await main();
