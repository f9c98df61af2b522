// npm run test:mutation [-- [--unit] <module> …] – StrykerJS over the modules where a silent regression costs
// most (stryker.config.mjs lists them), or over those named (a file or folder, e.g. lib/crypto). Starts
// the test database once for every test run, then prints the mutation score per module. The HTML report
// with every surviving mutant: .data/mutation/index.html. Slow (minutes per module): not part of npm test.
// --unit runs only the unit tests beside the modules (lib/**/*.test.ts): a quick lower bound of the score.
import path from "node:path";
import { Stryker } from "@stryker-mutator/core";
import type { MutantResult } from "@stryker-mutator/api/core";
import { PROJECT_DIR } from "./lib/database.ts";
import { ensureTestServer } from "../test/support/test-postgres.ts";

/** The modules of issue 18, as reported; a folder counts as one module. */
export const MODULES = [
  "lib/officernd/signature.ts",
  "lib/officernd/signed-query.ts",
  "lib/installations/resolve-signed-installation.ts",
  "lib/installations/replay.ts",
  "lib/webhooks/process-event.ts",
  "lib/sync/upsert-sql.ts",
  "lib/sync/plan.ts",
  "lib/crypto",
  "lib/officernd/tokens.ts",
];

const DETECTED = new Set(["Killed", "Timeout"]);
const COUNTED = new Set(["Killed", "Timeout", "Survived", "NoCoverage"]);

function moduleOf(file: string): string {
  const relative = path.relative(PROJECT_DIR, path.resolve(PROJECT_DIR, file));
  return MODULES.find((module) => relative === module || relative.startsWith(`${module}/`)) ?? relative;
}

const mutateGlobs = (module: string) => (module.endsWith(".ts") ? [module] : [`${module}/**/*.ts`, `!${module}/**/*.test.ts`]);

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const isUnitOnly = args.includes("--unit");
  const requested = args.filter((arg) => arg !== "--unit").map((arg) => arg.replace(/\/+$/, ""));
  const modules = requested.length > 0 ? requested : MODULES;
  const server = await ensureTestServer();
  process.env.TEST_DATABASE_ADMIN_URL = server.adminUrl;
  const started = Date.now();
  let results: MutantResult[];
  try {
    results = await new Stryker({
      mutate: modules.flatMap(mutateGlobs),
      ...(isUnitOnly ? { vitest: { configFile: "vitest.unit.config.ts", related: true } } : {}),
    }).runMutationTest();
  } finally {
    await server.stop();
  }
  const minutes = (Date.now() - started) / 60_000;

  const table = new Map<string, Record<string, number>>();
  for (const result of results) {
    const counts = table.get(moduleOf(result.fileName)) ?? {};
    counts[result.status] = (counts[result.status] ?? 0) + 1;
    table.set(moduleOf(result.fileName), counts);
  }
  console.log("\nMutation score per module (killed + timed out) / (killed + timed out + survived + no coverage)");
  let isBelowGoal = false;
  for (const [module, counts] of [...table.entries()].sort()) {
    const detected = [...DETECTED].reduce((sum, status) => sum + (counts[status] ?? 0), 0);
    const counted = [...COUNTED].reduce((sum, status) => sum + (counts[status] ?? 0), 0);
    const score = counted === 0 ? 100 : (100 * detected) / counted;
    if (score < 85) isBelowGoal = true;
    console.log(
      `  ${score >= 85 ? "✓" : "✗"} ${module.padEnd(52)} ${score.toFixed(1).padStart(5)} %  ` +
        `killed ${counts.Killed ?? 0}, timeout ${counts.Timeout ?? 0}, survived ${counts.Survived ?? 0}, no coverage ${counts.NoCoverage ?? 0}`,
    );
  }
  console.log(`\n${results.length} mutants in ${minutes.toFixed(1)} min. Report: .data/mutation/index.html (goal: ≥ 85 % per module)`);
  return isBelowGoal ? 1 : 0;
}

process.exitCode = await main();
