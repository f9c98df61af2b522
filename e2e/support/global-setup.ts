// Starts what the end-to-end tests talk to: a fresh database (migrated and seeded), the emulator and
// the production build of the app. Requires a prior `next build` (npm test does it).
import { existsSync, mkdirSync, rmSync } from "node:fs";
import path from "node:path";
import {
  createDatabaseIfMissing,
  dropDatabase,
  MIGRATIONS_DIR,
  PROJECT_DIR,
  withDatabase,
} from "../../scripts/lib/database.ts";
import { migrate } from "../../scripts/lib/migrations.ts";
import { runToCompletion, startProcess, waitForHttp } from "../../scripts/lib/processes.ts";
import { ensureTestServer, uniqueDatabaseName } from "../../test/support/test-postgres.ts";
import { appEnvironment } from "./app-environment.ts";
import {
  APP_LOG_FILE,
  E2E_METRICS_TOKEN,
  E2E_ORG_RATE_LIMIT,
  APP_PORT,
  APP_URL,
  EMULATOR_PORT,
  EMULATOR_URL,
  LOG_DIR,
} from "./ports.ts";

const BIN = path.join(PROJECT_DIR, "node_modules", ".bin");

export default async function globalSetup(): Promise<() => Promise<void>> {
  const distDir = process.env.NEXT_DIST_DIR ?? ".next";
  if (!existsSync(path.join(PROJECT_DIR, distDir, "BUILD_ID")))
    throw new Error(`No production build in ${distDir}/. Run \`next build\` first (npm test does).`);
  rmSync(LOG_DIR, { recursive: true, force: true });
  const server = await ensureTestServer();
  const database = uniqueDatabaseName("e2e");
  await createDatabaseIfMissing(server.adminUrl, database);
  const databaseUrl = withDatabase(server.adminUrl, database);
  await migrate(databaseUrl, MIGRATIONS_DIR);

  const appEnv = appEnvironment(
    { databaseUrl, appUrl: APP_URL, emulatorUrl: EMULATOR_URL, logLevel: process.env.LOG_LEVEL },
    {
      // Every e2e request comes from one IP; the per-organisation limit is what e2e/api/rate-limit.spec.ts
      // proves.
      RATE_LIMIT_PER_IP_PER_MINUTE: "100000",
      // The emulator runs without its token limit; so does our budget for it (token-budget tests prove it).
      OFFICERND_TOKEN_REQUESTS_PER_MINUTE: "1000000",
      CONNECT_CODE_EXCHANGES_PER_IP_PER_MINUTE: "0",
      METRICS_TOKEN: E2E_METRICS_TOKEN,
      RATE_LIMIT_PER_ORG_PER_MINUTE: String(E2E_ORG_RATE_LIMIT),
      // The fuzz run sends thousands of forged requests from that one IP; test/signed-rate-limits.test.ts
      // proves this limit.
      RATE_LIMIT_FAILED_VERIFICATIONS_PER_IP_PER_MINUTE: "1000000",
    },
  );
  await runToCompletion(
    "seed",
    path.join(BIN, "tsx"),
    ["--conditions=react-server", "scripts/seed.ts"],
    appEnv,
  );
  const quiet = !process.env.E2E_VERBOSE;
  // The app's log is kept for the redaction check (e2e/audit/log-redaction.spec.ts).
  mkdirSync(LOG_DIR, { recursive: true });
  const emulatorArgs = [
    "emulator/src/main.ts",
    "--port",
    String(EMULATOR_PORT),
    "--partner-url",
    APP_URL,
    "--token-rate-limit",
    "0",
  ];
  // node with tsx's loader rather than tsx's CLI, as scripts/dev.ts does (that wrapper may SIGKILL a busy
  // child).
  const nodeTs = [process.execPath, "--import", "tsx"];
  const emulator = startProcess("emulator", nodeTs[0]!, [...nodeTs.slice(1), ...emulatorArgs], {
    quiet,
    logFile: `${LOG_DIR}/emulator.log`,
  });
  const app = startProcess("next", path.join(BIN, "next"), ["start", "--port", String(APP_PORT)], {
    env: appEnv,
    quiet,
    logFile: APP_LOG_FILE,
  });
  const worker = startProcess(
    "worker",
    nodeTs[0]!,
    [...nodeTs.slice(1), "--conditions=react-server", "scripts/worker.ts"],
    {
      env: appEnv,
      quiet,
      logFile: `${LOG_DIR}/worker.log`,
    },
  );
  // In order: app and worker, then the emulator they call, then the database they use.
  const stopAll = async () => {
    await Promise.all([app.stop(), worker.stop()]);
    await emulator.stop();
    await dropDatabase(server.adminUrl, database).catch(() => undefined);
    await server.stop();
  };
  try {
    await Promise.all([
      waitForHttp(`${EMULATOR_URL}/_emulator/state`, 60_000, emulator),
      waitForHttp(`${APP_URL}/api/health`, 60_000, app),
    ]);
  } catch (error) {
    await stopAll();
    throw error;
  }
  process.env.E2E_DATABASE_URL = databaseUrl;
  // Handed to the tests (Playwright workers inherit this process's environment) for the log audit.
  process.env.E2E_APP_SECRETS = JSON.stringify({
    NEXTAUTH_SECRET: appEnv.NEXTAUTH_SECRET,
    ENCRYPTION_KEY: appEnv.ENCRYPTION_KEY,
  });
  return stopAll;
}
