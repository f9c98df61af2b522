import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";
import type { TestProjectInlineConfiguration } from "vitest/config";

const root = fileURLToPath(new URL(".", import.meta.url));

// `npm run test:mutation` (scripts/mutation.ts): only the test files that cover the module being mutated
// (MUTATION_TESTS, comma-separated, set by scripts/mutation.ts from its TESTS map), with the same two
// projects as vitest.config.ts: unit tests beside their modules and integration tests against real Postgres.
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
      globalSetup: ["test/support/global-setup.ts"],
      setupFiles: ["test/support/database-per-file.ts"],
      testTimeout: 30_000,
      hookTimeout: 60_000,
    },
  });
}

export default defineConfig({
  resolve: { alias: { "@": root, "server-only": `${root}node_modules/server-only/empty.js` } },
  test: { projects },
});
