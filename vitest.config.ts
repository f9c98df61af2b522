import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const root = fileURLToPath(new URL(".", import.meta.url));

// Three projects: pure unit tests next to their modules, integration tests against real Postgres
// (one database per test file, cloned from a migrated template), and the emulator's contract tests.
export default defineConfig({
  // `server-only` throws outside React's server build; tests run the same modules as plain Node.
  resolve: { alias: { "@": root, "server-only": `${root}node_modules/server-only/empty.js` } },
  test: {
    projects: [
      {
        extends: true,
        test: { name: "unit", include: ["lib/**/*.test.ts", "scripts/**/*.test.ts"] },
      },
      {
        extends: true,
        test: {
          name: "integration",
          include: ["test/**/*.test.ts"],
          globalSetup: ["test/support/global-setup.ts"],
          setupFiles: ["test/support/database-per-file.ts"],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: { name: "emulator", include: ["emulator/test/**/*.test.ts"], testTimeout: 30_000 },
      },
    ],
  },
});
