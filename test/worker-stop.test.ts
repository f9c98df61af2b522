// A worker process (`npm run worker`) is gone within 10 s of SIGTERM/SIGINT whatever state its database
// is in: frozen (every PostgreSQL process stopped with SIGSTOP) or shut down under it (issue 14). Its own
// PostgreSQL, so the database can be frozen and stopped. (A second signal: scripts/lib/shutdown.test.ts.)
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createDatabaseIfMissing,
  MIGRATIONS_DIR,
  PROJECT_DIR,
  withDatabase,
} from "../scripts/lib/database.ts";
import { startEmbeddedPostgres, type RunningPostgres } from "../scripts/lib/embedded-postgres.ts";
import { migrate } from "../scripts/lib/migrations.ts";

const STOP_DEADLINE_MS = 10_000;
let postgres: RunningPostgres;
let databaseUrl: string;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Signals every PostgreSQL process at once (it runs in its own process group). */
function signalPostgres(signal: NodeJS.Signals): void {
  const pid = Number(readFileSync(path.join(postgres.dataDir, "postmaster.pid"), "utf8").split("\n")[0]);
  process.kill(-pid, signal);
}

async function startWorker(): Promise<{ child: ChildProcess; output: () => string; exited: Promise<void> }> {
  const child = spawn(
    process.execPath,
    ["--conditions=react-server", "--import", "tsx", "scripts/worker.ts"],
    {
      cwd: PROJECT_DIR,
      env: { ...process.env, DATABASE_URL: databaseUrl, NODE_ENV: "development", LOG_LEVEL: "warn" },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let output = "";
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  for (let waited = 0; !/\[worker\] \S+ started/.test(output); waited += 100) {
    if (child.exitCode !== null || waited > 90_000) throw new Error(`worker did not start:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { child, output: () => output, exited };
}

/** True when `exited` settles within `ms`. */
async function settlesWithin(exited: Promise<void>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  const result = await Promise.race([exited.then(() => true), timeout]);
  clearTimeout(timer);
  return result;
}

beforeAll(async () => {
  postgres = await startEmbeddedPostgres({
    projectDir: PROJECT_DIR,
    name: "postgres-worker-stop",
    port: await freePort(),
    isDisposable: true,
    log: () => {},
  });
  const database = `worker_stop_${randomBytes(4).toString("hex")}`;
  await createDatabaseIfMissing(postgres.adminUrl, database);
  databaseUrl = withDatabase(postgres.adminUrl, database);
  await migrate(databaseUrl, MIGRATIONS_DIR);
}, 120_000);

afterAll(async () => {
  await postgres?.stop();
});

describe.sequential("worker shutdown", () => {
  it("exits within 10 s of SIGTERM while its database is frozen", { timeout: 120_000 }, async () => {
    const worker = await startWorker();
    signalPostgres("SIGSTOP");
    try {
      worker.child.kill("SIGTERM");
      const isGone = await settlesWithin(worker.exited, STOP_DEADLINE_MS);
      if (!isGone) worker.child.kill("SIGKILL");
      expect(isGone, worker.output()).toBe(true);
    } finally {
      signalPostgres("SIGCONT");
    }
  });

  it("exits within 10 s of SIGTERM after its database shut down under it", { timeout: 120_000 }, async () => {
    const worker = await startWorker();
    await postgres.stop();
    worker.child.kill("SIGTERM");
    const isGone = await settlesWithin(worker.exited, STOP_DEADLINE_MS);
    if (!isGone) worker.child.kill("SIGKILL");
    expect(isGone, worker.output()).toBe(true);
  });
});
