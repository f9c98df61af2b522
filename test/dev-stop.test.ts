// Ctrl-C on `npm run dev` leaves nothing behind (issue 14): the whole dev stack runs in its own process
// group on its own ports and data folder; once a sync is in progress, SIGINT goes to every process of the
// group at once (what a terminal sends) and within 15 s no process carrying the run's tag may remain:
// not npm, not the orchestrator, not next, the worker, the emulator or PostgreSQL (each runs in its own
// group, so the tag in their environment is what finds them). It is a race, so it repeats:
// DEV_STOP_REPEAT times (default 2 in npm test).
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import net from "node:net";
import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { devDatabaseName, PROJECT_DIR } from "../scripts/lib/database.ts";
import { findTaggedProcesses, RUN_TAG_ENV } from "../scripts/lib/shutdown.ts";

const REPEAT = Number(process.env.DEV_STOP_REPEAT ?? 2);
const LEFTOVER_DEADLINE_MS = 15_000;
const ENCRYPTION_KEY = `stop:${randomBytes(32).toString("base64")}`;

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

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor<T>(
  what: string,
  timeoutMs: number,
  probe: () => Promise<T | undefined> | T | undefined,
  output: () => string | Promise<string>,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value !== undefined) return value;
    await sleep(250);
  }
  throw new Error(
    `${what} did not happen within ${timeoutMs / 1000} s. Output so far:\n${(await output()).slice(-4000)}`,
  );
}

function describeProcess(pid: number): string {
  try {
    return `${pid} ${readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ").slice(0, 160)}`;
  } catch {
    return String(pid);
  }
}

/** Everything the iteration started: SIGKILLed if the test failed half-way (so the next run starts clean). */
const started: { tag: string; child: ChildProcess }[] = [];
afterEach(async () => {
  for (const { tag } of started.splice(0))
    for (const pid of findTaggedProcesses(tag)) process.kill(pid, "SIGKILL");
  await sleep(1_000); // let PostgreSQL's processes go before the next round starts it again
});

function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  // The integration setup points these at the test database; dev must start its own.
  const {
    DATABASE_URL: _database,
    NODE_ENV: _nodeEnv,
    TEST_DATABASE_ADMIN_URL: _admin,
    ...rest
  } = process.env;
  return { ...rest, ...extra } as NodeJS.ProcessEnv;
}

describe.sequential("npm run dev stops completely on Ctrl-C", () => {
  for (let round = 1; round <= REPEAT; round++) {
    it(
      `round ${round}/${REPEAT}: SIGINT to the group during a sync leaves no process after 15 s`,
      { timeout: 300_000 },
      async () => {
        const [appPort, emulatorPort, pgPort] = [await freePort(), await freePort(), await freePort()];
        const tag = `stoptest-${randomBytes(4).toString("hex")}`;
        const outer = process.env[RUN_TAG_ENV];
        const env = cleanEnv({
          PORT: String(appPort),
          EMULATOR_PORT: String(emulatorPort),
          DEV_PG_PORT: String(pgPort),
          DEV_PG_DIR: "postgres-dev-stop-test",
          NEXT_DIST_DIR: ".next-stop-test",
          NEXT_TELEMETRY_DISABLED: "1",
          ENCRYPTION_KEY,
          NEXTAUTH_SECRET: randomBytes(32).toString("hex"),
          LOG_LEVEL: "warn",
          [RUN_TAG_ENV]: outer ? `${outer},${tag}` : tag,
        });
        // Its own process group, as a terminal runs a foreground job.
        const dev = spawn("npm", ["run", "dev"], {
          cwd: PROJECT_DIR,
          env,
          detached: true,
          stdio: ["ignore", "pipe", "pipe"],
        });
        started.push({ tag, child: dev });
        let output = "";
        dev.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
        dev.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));

        // The sync is set up as soon as the worker and the emulator run, while `next dev` still compiles.
        const hasPrinted = (text: string | RegExp) =>
          (typeof text === "string" ? output.includes(text) : text.test(output))
            ? true
            : dev.exitCode !== null
              ? false
              : undefined;
        const isUp = await waitFor(
          "the worker and emulator",
          180_000,
          () => hasPrinted(/\[worker\] \S+ started/) && hasPrinted("EMULATOR_READY"),
          () => output,
        );
        expect(isUp, output.slice(-4000)).toBe(true);

        const databaseUrl = `postgresql://postgres:postgres@127.0.0.1:${pgPort}/${devDatabaseName(PROJECT_DIR)}`;
        const fixture = spawn(
          process.execPath,
          ["--conditions=react-server", "--import", "tsx", "test/support/dev-sync-fixture.ts"],
          {
            cwd: PROJECT_DIR,
            env: {
              ...env,
              DATABASE_URL: databaseUrl,
              EMULATOR_URL: `http://localhost:${emulatorPort}`,
              NODE_ENV: "development",
            },
            stdio: ["ignore", "pipe", "pipe"],
          },
        );
        let fixtureOutput = "";
        fixture.stdout.on("data", (chunk: Buffer) => (fixtureOutput += chunk.toString()));
        fixture.stderr.on("data", (chunk: Buffer) => (fixtureOutput += chunk.toString()));
        const fixtureCode = await new Promise((resolve) => fixture.once("exit", resolve));
        expect(fixtureCode, fixtureOutput).toBe(0);

        const isReady = await waitFor(
          "npm run dev ready",
          180_000,
          () => hasPrinted("Ready."),
          () => output,
        );
        expect(isReady, output.slice(-4000)).toBe(true);

        const client = new pg.Client({ connectionString: databaseUrl });
        await client.connect();
        try {
          await waitFor(
            "a sync in progress",
            180_000,
            async () => {
              const { rows } = await client.query<{ count: string }>(
                `SELECT count(*) FROM "SyncRun" WHERE status = 'running' AND trigger = 'dev-stop-test'`,
              );
              return Number(rows[0]?.count) > 0 ? true : undefined;
            },
            // What the runs and their jobs were doing, for a wait that ran out (seen once at load 20).
            async () => {
              const runs = await client.query<{ trigger: string; status: string; count: string }>(
                `SELECT trigger, status, count(*) FROM "SyncRun" GROUP BY 1, 2 ORDER BY 1, 2`,
              );
              const jobs = await client
                .query<{ name: string; state: string; count: string }>(
                  `SELECT name, state, count(*) FROM pgboss.job GROUP BY 1, 2 ORDER BY 1, 2`,
                )
                .catch((error: unknown) => ({
                  rows: [{ name: "pgboss.job", state: String(error), count: "?" }],
                }));
              const table = (rows: { count: string }[]) => rows.map((row) => JSON.stringify(row)).join("\n");
              return `${fixtureOutput}\n${output}\nruns:\n${table(runs.rows)}\njobs:\n${table(jobs.rows)}`;
            },
          );
        } finally {
          await client.end();
        }
        expect(findTaggedProcesses(tag).length).toBeGreaterThan(4); // npm, node, postgres, emulator, worker, next…

        process.kill(-dev.pid!, "SIGINT");
        const deadline = Date.now() + LEFTOVER_DEADLINE_MS;
        let remaining = findTaggedProcesses(tag);
        while (remaining.length > 0 && Date.now() < deadline) {
          await sleep(250);
          remaining = findTaggedProcesses(tag);
        }
        expect(remaining.map(describeProcess), output.slice(-4000)).toEqual([]);
      },
    );
  }
});
