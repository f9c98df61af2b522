// A small deployment for the scale-out spec: one PostgreSQL database (on the e2e run's server), the
// emulator, two `next start` instances and two workers, all separate processes sharing only that
// database and the secrets they are given in their environment. The instances sit on two ports; the
// spec plays the load balancer by choosing which one to call.
import { randomBytes } from "node:crypto";
import { mkdirSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import {
  createDatabaseIfMissing,
  dropDatabase,
  MIGRATIONS_DIR,
  PROJECT_DIR,
  withDatabase,
} from "../../scripts/lib/database";
import { migrate } from "../../scripts/lib/migrations";
import { runToCompletion, startProcess, waitForHttp, type Managed } from "../../scripts/lib/processes";
import { uniqueDatabaseName } from "../../test/support/test-postgres";
import { appEnvironment } from "../support/app-environment";
import { LOG_DIR } from "../support/ports";

const BASE_APP_PORT = Number(process.env.E2E_APP_PORT ?? 3100);
const BASE_EMULATOR_PORT = Number(process.env.E2E_EMULATOR_PORT ?? 4110);
const BIN = path.join(PROJECT_DIR, "node_modules", ".bin");
const NODE_TS = ["--import", "tsx", "--conditions=react-server"];

export const INSTANCE_A = `http://localhost:${BASE_APP_PORT + 60}`;
export const INSTANCE_B = `http://localhost:${BASE_APP_PORT + 61}`;
/**
 * The address OfficeRnD and browsers are given (APP_URL of every instance): what a load balancer would
 * answer on. Here it is instance B's port, so OfficeRnD's signed calls and webhooks land on B.
 */
export const PUBLIC_URL = INSTANCE_B;
export const EMULATOR = `http://localhost:${BASE_EMULATOR_PORT + 60}`;
export const SCALE_LOG_DIR = path.join(LOG_DIR, "scale");

export type Worker = Managed & { id: () => string | undefined; log: () => string };

export type Cluster = {
  databaseUrl: string;
  sql: <T extends pg.QueryResultRow>(text: string, values?: unknown[]) => Promise<T[]>;
  workers: [Worker, Worker];
  stop: () => Promise<void>;
};

export async function startCluster({ emulatorArgs }: { emulatorArgs: string[] }): Promise<Cluster> {
  const e2eDatabase = process.env.E2E_DATABASE_URL;
  if (!e2eDatabase) throw new Error("E2E_DATABASE_URL is not set; e2e/support/global-setup.ts exports it.");
  const adminUrl = withDatabase(e2eDatabase, "postgres");
  const database = uniqueDatabaseName("scale");
  await createDatabaseIfMissing(adminUrl, database);
  const databaseUrl = withDatabase(adminUrl, database);
  await migrate(databaseUrl, MIGRATIONS_DIR);
  mkdirSync(SCALE_LOG_DIR, { recursive: true });

  // Everything the processes share besides the database: secrets and addresses, from the environment.
  const env = appEnvironment(
    {
      databaseUrl,
      appUrl: PUBLIC_URL,
      emulatorUrl: EMULATOR,
      encryptionKey: `scale:${randomBytes(32).toString("base64")}`,
    },
    {
      OFFICERND_TOKEN_REQUESTS_PER_MINUTE: "1000000",
      RATE_LIMIT_PER_IP_PER_MINUTE: "100000",
      RATE_LIMIT_PER_ORG_PER_MINUTE: "100000",
      CONNECT_CODE_EXCHANGES_PER_IP_PER_MINUTE: "0",
      WORKER_CONCURRENCY: "2",
      METRICS_TOKEN: randomBytes(16).toString("hex"),
    },
  );
  await runToCompletion("seed", path.join(BIN, "tsx"), ["--conditions=react-server", "scripts/seed.ts"], env);

  const managed: Managed[] = [];
  const log = (name: string) => path.join(SCALE_LOG_DIR, `${name}.log`);
  const emulator = startProcess(
    "scale-emulator",
    process.execPath,
    [
      "--import",
      "tsx",
      "emulator/src/main.ts",
      "--port",
      String(new URL(EMULATOR).port),
      "--partner-url",
      PUBLIC_URL,
      ...emulatorArgs,
    ],
    { quiet: true, logFile: log("emulator") },
  );
  managed.push(emulator);
  const apps = [INSTANCE_A, INSTANCE_B].map((url, index) =>
    startProcess(`scale-app-${"ab"[index]}`, path.join(BIN, "next"), ["start", "--port", new URL(url).port], {
      env,
      quiet: true,
      logFile: log(`app-${"ab"[index]}`),
    }),
  );
  managed.push(...apps);
  const workers = [1, 2].map((number) => startWorker(`worker-${number}`, env, log(`worker-${number}`))) as [
    Worker,
    Worker,
  ];
  managed.push(...workers);

  const pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  const stop = async () => {
    await Promise.all(managed.filter((process) => process !== emulator).map((process) => process.stop()));
    await emulator.stop();
    await pool.end();
    await dropDatabase(adminUrl, database).catch(() => undefined);
  };
  try {
    await Promise.all([
      waitForHttp(`${EMULATOR}/_emulator/state`, 60_000, emulator),
      waitForHttp(`${INSTANCE_A}/api/health`, 90_000, apps[0]),
      waitForHttp(`${INSTANCE_B}/api/health`, 90_000, apps[1]),
      ...workers.map((worker) => waitForWorker(worker, 90_000)),
    ]);
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    databaseUrl,
    sql: async (text, values = []) => (await pool.query(text, values)).rows,
    workers,
    stop,
  };
}

function startWorker(name: string, env: Record<string, string>, logFile: string): Worker {
  let output = "";
  let id: string | undefined;
  const managed = startProcess(name, process.execPath, [...NODE_TS, "scripts/worker.ts"], {
    env,
    quiet: true,
    logFile,
    onLine: (line) => {
      output += `${line}\n`;
      id ??= /^\[worker\] (\S+) started$/.exec(line)?.[1];
    },
  });
  return { ...managed, id: () => id, log: () => output };
}

async function waitForWorker(worker: Worker, timeoutMs: number): Promise<void> {
  for (let waited = 0; !worker.id(); waited += 200) {
    if (worker.child.exitCode !== null || waited > timeoutMs)
      throw new Error(`${worker.name} did not start:\n${worker.log()}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** A cookie jar for plain fetch: name=value pairs from Set-Cookie, sent back on every request. */
export class CookieJar {
  private readonly cookies = new Map<string, string>();

  store(response: Response): void {
    for (const header of response.headers.getSetCookie()) {
      const [pair] = header.split(";");
      const separator = pair!.indexOf("=");
      const name = pair!.slice(0, separator).trim();
      const value = pair!.slice(separator + 1).trim();
      if (/max-age=0/i.test(header) || value === "") this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; ");
  }

  async fetch(url: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size > 0) headers.set("cookie", this.header());
    const response = await fetch(url, { ...init, headers, redirect: "manual" });
    this.store(response);
    return response;
  }
}

/** Sends a URL the app built from APP_URL (the public address) to one chosen instance instead. */
export function onInstance(instance: string, url: string): string {
  const target = new URL(url);
  const base = new URL(instance);
  target.protocol = base.protocol;
  target.host = base.host;
  return target.toString();
}
