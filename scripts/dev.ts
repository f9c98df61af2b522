// npm run dev – the whole product on one machine: PostgreSQL (embedded unless DATABASE_URL is set),
// migrations, demo data, the OfficeRnD emulator, a sync worker and `next dev`. Ctrl-C stops it all, in
// order: app and worker, then the emulator, then PostgreSQL; what is left after the deadlines is killed.
import path from "node:path";
import { MIGRATIONS_DIR, PROJECT_DIR, resolveDevDatabase } from "./lib/database.ts";
import { isPortOpen } from "./lib/embedded-postgres.ts";
import { migrate } from "./lib/migrations.ts";
import { runToCompletion, startProcess, waitForHttp, type Managed } from "./lib/processes.ts";
import { claimRunTag, killTagged, onStopSignals, stopInOrder, type Stoppable } from "./lib/shutdown.ts";

const APP_PORT = Number(process.env.PORT ?? 3000);
const EMULATOR_PORT = Number(process.env.EMULATOR_PORT ?? 4010);
const APP_URL = process.env.APP_URL ?? `http://localhost:${APP_PORT}`;
const EMULATOR_URL = `http://localhost:${EMULATOR_PORT}`;
const NEXT = path.join(PROJECT_DIR, "node_modules", ".bin", "next");
// TypeScript children run on node with tsx's loader, not tsx's CLI: that wrapper SIGKILLs its child
// when the child does not acknowledge a signal within ~60 ms (easily missed on a busy machine).
const NODE_TS = [process.execPath, "--import", "tsx"] as const;

const runTag = claimRunTag();
const stages: { app: Managed[]; emulator: Managed[] } = { app: [], emulator: [] };
let database: Stoppable | undefined;
let isStopping = false;

async function shutdown(code: number): Promise<never> {
  if (!isStopping) {
    isStopping = true;
    console.log("\nStopping…");
    await stopInOrder([stages.app, stages.emulator, database ? [database] : []], (line) =>
      console.error(line),
    );
  }
  const leftovers = killTagged(runTag);
  if (leftovers > 0) console.error(`Killed ${leftovers} leftover process(es).`);
  process.exit(code);
}

function forceStop(): never {
  console.error("\nStopping now.");
  for (const child of [...stages.app, ...stages.emulator]) child.kill();
  database?.kill();
  killTagged(runTag);
  process.exit(130);
}

async function assertPortFree(port: number, what: string): Promise<void> {
  if (await isPortOpen(port))
    throw new Error(
      `Port ${port} (${what}) is already in use. Stop whatever holds it (an earlier \`npm run dev\`?) or set ${what === "app" ? "PORT" : "EMULATOR_PORT"}.`,
    );
}

async function main(): Promise<void> {
  onStopSignals(() => void shutdown(0), forceStop);

  await assertPortFree(APP_PORT, "app");
  await assertPortFree(EMULATOR_PORT, "emulator");
  const resolved = await resolveDevDatabase((line) => console.log(`[postgres] ${line}`));
  database = { name: "postgres", stop: resolved.stop, kill: resolved.kill };
  if (isStopping) return; // a Ctrl-C during start-up: shutdown() now stops the database too
  const { applied } = await migrate(resolved.databaseUrl, MIGRATIONS_DIR);
  console.log(`[migrate] ${applied.length > 0 ? `applied ${applied.join(", ")}` : "up to date"}`);

  const appEnv = {
    NEXT_TELEMETRY_DISABLED: "1",
    DATABASE_URL: resolved.databaseUrl,
    APP_URL,
    OFFICERND_IDENTITY_URL: process.env.OFFICERND_IDENTITY_URL ?? EMULATOR_URL,
    OFFICERND_APP_URL: process.env.OFFICERND_APP_URL ?? EMULATOR_URL,
  };
  await runToCompletion(
    "seed",
    NODE_TS[0],
    [...NODE_TS.slice(1), "--conditions=react-server", "scripts/seed.ts"],
    appEnv,
  );
  if (isStopping) return;

  const emulator = startProcess("emulator", NODE_TS[0], [
    ...NODE_TS.slice(1),
    "emulator/src/main.ts",
    "--port",
    String(EMULATOR_PORT),
    "--partner-url",
    APP_URL,
  ]);
  stages.emulator.push(emulator);
  stages.app.push(
    startProcess(
      "worker",
      NODE_TS[0],
      [...NODE_TS.slice(1), "--conditions=react-server", "scripts/worker.ts"],
      { env: appEnv },
    ),
  );
  const app = startProcess("next", NEXT, ["dev", "--port", String(APP_PORT)], { env: appEnv });
  stages.app.push(app);
  for (const child of [...stages.app, ...stages.emulator])
    child.child.once(
      "exit",
      (code) => !isStopping && console.error(`[${child.name}] exited with code ${code}`),
    );

  await Promise.all([
    waitForHttp(EMULATOR_URL, 60_000, emulator),
    waitForHttp(`${APP_URL}/api/health`, 120_000, app),
  ]);
  if (isStopping) return;
  console.log(`
  Ready.
    App (partner platform)   ${APP_URL.padEnd(28)} sign in as demo@example.com / demo-password
    OfficeRnD emulator       ${EMULATOR_URL.padEnd(28)} Add integration, then Connect
    Database                 ${resolved.isEmbedded ? `embedded PostgreSQL, ${resolved.databaseUrl.replace(/:[^:@/]+@/, ":***@")}` : "DATABASE_URL"}
  Press Ctrl-C to stop.
`);
}

main().catch(async (error: unknown) => {
  if (isStopping) return;
  console.error(`\nnpm run dev failed: ${(error as Error).message}`);
  await shutdown(1);
});
