import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";
import type { TestProjectInlineConfiguration } from "vitest/config";
import { BaseSequencer, type TestSpecification } from "vitest/node";

const root = fileURLToPath(new URL(".", import.meta.url));

// `npm run test:mutation` (scripts/mutation.ts): only the test files that cover the module being mutated
// (MUTATION_TESTS, comma-separated, set by scripts/mutation.ts from its TESTS map), with the same two
// projects as vitest.config.ts: unit tests beside their modules and integration tests against real Postgres.
//
// Made cheap per mutant (docs/mutation-testing.md, "Cost per mutant"): Stryker runs each mutant with only
// the tests that cover it (perTest coverage), and every run of an integration file would spawn a new
// OfficeRnD emulator process (tsx compile + start-up, ≈ 3 s). Here `./support/emulator` is
// test/support/mutation-emulator.ts instead: one emulator per set of start-up arguments lives for the
// whole Stryker run (test/support/mutation-global-setup.ts) and is reset to its start-up state where a
// test file would stop it. Files run one at a time (they may share that emulator), in the order TESTS
// lists them (fast, focused files first) rather than vitest's slowest-first: Stryker stops a mutant's
// run at the first failing test, so a mutant the quick tests kill never waits for the slow ones.
const tests = (process.env.MUTATION_TESTS ?? "").split(",").filter(Boolean);
const unit = tests.filter((file) => !file.startsWith("test/"));
const integration = tests.filter((file) => file.startsWith("test/"));

const projects: TestProjectInlineConfiguration[] = [];
if (unit.length > 0) projects.push({ extends: true, test: { name: "unit", include: unit } });
if (integration.length > 0) {
  projects.push({
    extends: true,
    test: {
      name: "integration",
      include: integration,
      globalSetup: ["test/support/global-setup.ts", "test/support/mutation-global-setup.ts"],
      setupFiles: ["test/support/database-per-file.ts"],
      testTimeout: 30_000,
      hookTimeout: 60_000,
    },
  });
}

class ListedOrder extends BaseSequencer {
  override sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = (spec: TestSpecification) => tests.findIndex((file) => spec.moduleId.endsWith(`/${file}`));
    return Promise.resolve([...files].sort((a, b) => rank(a) - rank(b)));
  }
}

export default defineConfig({
  resolve: {
    alias: [
      { find: /^\.\/support\/emulator(\.ts)?$/, replacement: `${root}test/support/mutation-emulator.ts` },
      { find: "@", replacement: root },
      { find: "server-only", replacement: `${root}node_modules/server-only/empty.js` },
    ],
  },
  test: { projects, fileParallelism: false, sequence: { sequencer: ListedOrder } },
});
