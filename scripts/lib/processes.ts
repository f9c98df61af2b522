// Child processes for the dev and test orchestrators: prefixed output, readiness probes, and a stop
// that always reaches the whole process group (npx and shells do not forward signals).
import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream } from "node:fs";

export type Managed = { name: string; child: ChildProcess; stop: () => Promise<void>; kill: () => void };

/** How long a child gets after SIGTERM before its whole process group is SIGKILLed. */
export const STOP_DEADLINE_MS = 10_000;

export function startProcess(
  name: string,
  command: string,
  args: string[],
  options: {
    env?: Record<string, string | undefined>;
    cwd?: string;
    quiet?: boolean;
    logFile?: string;
    onLine?: (line: string) => void;
    deadlineMs?: number;
  } = {},
): Managed {
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  const file = options.logFile ? createWriteStream(options.logFile, { flags: "a" }) : undefined;
  const forward = (chunk: Buffer) => {
    file?.write(chunk);
    for (const line of chunk.toString().split("\n")) {
      if (!line) continue;
      options.onLine?.(line);
      if (!options.quiet) console.log(`[${name}] ${line}`);
    }
  };
  child.stdout?.on("data", forward);
  child.stderr?.on("data", forward);
  const kill = () => signalGroup(child.pid, "SIGKILL");
  // SIGTERM to the group; SIGKILL after the deadline, and to anything of the group that outlives the
  // leader (a `next dev` server's own children).
  const stop = () =>
    new Promise<void>((resolve) => {
      const finish = () => {
        clearTimeout(timer);
        if (isGroupAlive(child.pid)) kill();
        resolve();
      };
      const timer = setTimeout(kill, options.deadlineMs ?? STOP_DEADLINE_MS);
      if (child.exitCode !== null || child.signalCode !== null || !child.pid) return finish();
      child.once("exit", finish);
      signalGroup(child.pid, "SIGTERM");
    });
  return { name, child, stop, kill };
}

function isGroupAlive(pid: number | undefined): boolean {
  if (!pid) return false;
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

function signalGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (!pid) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

/** Polls `url` until it answers (any status), or fails after `timeoutMs` naming the process. */
export async function waitForHttp(url: string, timeoutMs: number, managed?: Managed): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (managed && managed.child.exitCode !== null)
      throw new Error(`${managed.name} exited with code ${managed.child.exitCode} before ${url} answered.`);
    try {
      await fetch(url, { signal: AbortSignal.timeout(2_000) });
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  throw new Error(`${url} did not answer within ${timeoutMs / 1000}s.`);
}

export function runToCompletion(
  name: string,
  command: string,
  args: string[],
  env: Record<string, string | undefined> = {},
): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: "inherit" });
    child.once("exit", (code) =>
      code === 0 ? resolve() : reject(new Error(`${name} failed with exit code ${code}.`)),
    );
  });
}
