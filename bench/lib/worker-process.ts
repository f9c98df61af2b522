// The worker as deployed (package.json's `worker` script, run with this node)
// in its own process, so its memory is the worker's alone: resident set read from /proc/<pid>/status
// (VmRSS now, VmHWM the kernel's high-water mark since the process started).
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { PROJECT_DIR } from "../../scripts/lib/database.ts";

export type WorkerProcess = {
  pid: number;
  /** Resident set size now, in bytes. */
  rss: () => number;
  /** The highest resident set size since the process started, in bytes (the kernel's VmHWM). */
  peakRss: () => number;
  stop: () => Promise<void>;
};

function statusField(pid: number, field: "VmRSS" | "VmHWM"): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status);
  return match ? Number(match[1]) * 1024 : 0;
}

/**
 * The node arguments of package.json's `worker` script ("node <args>"), so the benchmark runs what is
 * deployed.
 */
function workerArgs(): string[] {
  const scripts = (
    JSON.parse(readFileSync(path.join(PROJECT_DIR, "package.json"), "utf8")) as {
      scripts: Record<string, string>;
    }
  ).scripts;
  const [command, ...args] = (scripts.worker ?? "").trim().split(/\s+/);
  if (command !== "node")
    throw new Error(`package.json's worker script does not start with node: ${scripts.worker}`);
  return args;
}

export function startWorkerProcess(env: Record<string, string>): Promise<WorkerProcess> {
  const child = spawn(process.execPath, workerArgs(), {
    cwd: PROJECT_DIR,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`worker did not start:\n${output}`)), 60_000);
    const onExit = (code: number | null) => reject(new Error(`worker exited (${code}):\n${output}`));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      if (!/\[worker\] \S+ started/.test(output)) return;
      clearTimeout(timer);
      child.off("exit", onExit);
      child.stdout.removeAllListeners("data");
      child.stdout.resume();
      const pid = child.pid!;
      resolve({
        pid,
        rss: () => statusField(pid, "VmRSS"),
        peakRss: () => statusField(pid, "VmHWM"),
        stop: () =>
          new Promise((done) => {
            if (child.exitCode !== null) return done();
            child.once("exit", () => done());
            child.kill("SIGTERM");
          }),
      });
    });
    child.once("exit", onExit);
  });
}
