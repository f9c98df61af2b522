// npm run dev – the whole product on one machine: PostgreSQL (embedded unless DATABASE_URL is set),
// migrations, demo data, the OfficeRnD emulator, a sync worker and `next dev`. Ctrl-C stops it all.
import path from "node:path";
import { MIGRATIONS_DIR, PROJECT_DIR, resolveDevDatabase } from "./lib/database.ts";
import { isPortOpen } from "./lib/embedded-postgres.ts";
import { migrate } from "./lib/migrations.ts";
import { runToCompletion, startProcess, waitForHttp, type Managed } from "./lib/processes.ts";

const APP_PORT = Number(process.env.PORT ?? 3000);
const EMULATOR_PORT = Number(process.env.EMULATOR_PORT ?? 4010);
const APP_URL = process.env.APP_URL ?? `http://localhost:${APP_PORT}`;
const EMULATOR_URL = `http://localhost:${EMULATOR_PORT}`;
const TSX = path.join(PROJECT_DIR, "node_modules", ".bin", "tsx");
const NEXT = path.join(PROJECT_DIR, "node_modules", ".bin", "next");

const children: Managed[] = [];
let stopDatabase: () => Promise<void> = async () => {};
let isStopping = false;

async function shutdown(code: number): Promise<never> {
  if (!isStopping) {
    isStopping = true;
    console.log("\nStopping…");
    await Promise.all(children.map((child) => child.stop()));
    await stopDatabase();
  }
  process.exit(code);
}

async function assertPortFree(port: number, what: string): Promise<void> {
  if (await isPortOpen(port))
    throw new Error(
      `Port ${port} (${what}) is already in use. Stop whatever holds it (an earlier \`npm run dev\`?) or set ${what === "app" ? "PORT" : "EMULATOR_PORT"}.`,
    );
}

async function main(): Promise<void> {
  process.once("SIGINT", () => void shutdown(0));
  process.once("SIGTERM", () => void shutdown(0));

  await assertPortFree(APP_PORT, "app");
  await assertPortFree(EMULATOR_PORT, "emulator");
  const database = await resolveDevDatabase((line) => console.log(`[postgres] ${line}`));
  stopDatabase = database.stop;
  const { applied } = await migrate(database.databaseUrl, MIGRATIONS_DIR);
  console.log(`[migrate] ${applied.length > 0 ? `applied ${applied.join(", ")}` : "up to date"}`);

  const appEnv = {
    NEXT_TELEMETRY_DISABLED: "1",
    DATABASE_URL: database.databaseUrl,
    APP_URL,
    OFFICERND_IDENTITY_URL: process.env.OFFICERND_IDENTITY_URL ?? EMULATOR_URL,
    OFFICERND_APP_URL: process.env.OFFICERND_APP_URL ?? EMULATOR_URL,
  };
  await runToCompletion("seed", TSX, ["--conditions=react-server", "scripts/seed.ts"], appEnv);

  const emulator = startProcess("emulator", TSX, ["emulator/src/main.ts", "--port", String(EMULATOR_PORT), "--partner-url", APP_URL]);
  children.push(emulator);
  children.push(startProcess("worker", TSX, ["--conditions=react-server", "scripts/worker.ts"], { env: appEnv }));
  const app = startProcess("next", NEXT, ["dev", "--port", String(APP_PORT)], { env: appEnv });
  children.push(app);
  for (const child of children) child.child.once("exit", (code) => !isStopping && console.error(`[${child.name}] exited with code ${code}`));

  await Promise.all([waitForHttp(EMULATOR_URL, 60_000, emulator), waitForHttp(`${APP_URL}/api/health`, 120_000, app)]);
  console.log(`
  Ready.
    App (partner platform)   ${APP_URL.padEnd(28)} sign in as demo@example.com / demo-password
    OfficeRnD emulator       ${EMULATOR_URL.padEnd(28)} Add integration, then Connect
    Database                 ${database.isEmbedded ? `embedded PostgreSQL, ${database.databaseUrl.replace(/:[^:@/]+@/, ":***@")}` : "DATABASE_URL"}
  Press Ctrl-C to stop.
`);
}

main().catch(async (error: unknown) => {
  console.error(`\nnpm run dev failed: ${(error as Error).message}`);
  await shutdown(1);
});
