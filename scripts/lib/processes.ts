// Child processes for the dev and test orchestrators: prefixed output, readiness probes, and a stop
// that always reaches the whole process group (npx and shells do not forward signals).
import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream } from "node:fs";

export type Managed = { name: string; child: ChildProcess; stop: () => Promise<void> };

export function startProcess(
  name: string,
  command: string,
  args: string[],
  options: { env?: Record<string, string | undefined>; cwd?: string; quiet?: boolean; logFile?: string; onLine?: (line: string) => void } = {},
): Managed {
  const child = spawn(command, args, { cwd: options.cwd, env: { ...process.env, ...options.env }, stdio: ["ignore", "pipe", "pipe"], detached: true });
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
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null || !child.pid) return resolve();
      const timer = setTimeout(() => signalGroup(child.pid, "SIGKILL"), 5_000);
      child.once("exit", () => {
        clearTimeout(timer);
        resolve();
      });
      signalGroup(child.pid, "SIGTERM");
    });
  return { name, child, stop };
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
    if (managed && managed.child.exitCode !== null) throw new Error(`${managed.name} exited with code ${managed.child.exitCode} before ${url} answered.`);
    try {
      await fetch(url, { signal: AbortSignal.timeout(2_000) });
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  throw new Error(`${url} did not answer within ${timeoutMs / 1000}s.`);
}

export function runToCompletion(name: string, command: string, args: string[], env: Record<string, string | undefined> = {}): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: "inherit" });
    child.once("exit", (code) => (code === 0 ? resolve() : reject(new Error(`${name} failed with exit code ${code}.`))));
  });
}
