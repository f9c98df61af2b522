// `npm run test:mutation` only (vitest.mutation.config.ts): keeps one OfficeRnD emulator process per
// set of start-up arguments alive for the whole Stryker run, so a mutant's test file does not spawn
// and compile a new emulator (≈ 3 s of each mutant's run). Test files still call
// startEmulatorProcess: the mutation config points `./support/emulator` at mutation-emulator.ts,
// which asks this broker for the emulator and resets it (POST /_emulator/reset: start-up state) on stop.
import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { PROJECT_DIR } from "../../scripts/lib/database.ts";

declare module "vitest" {
  // Declaration merging with vitest's own interface needs `interface`.
  // eslint-disable-next-line @typescript-eslint/consistent-type-definitions
  export interface ProvidedContext {
    mutationEmulatorBroker: string;
  }
}

type Running = { url: string; child: ChildProcess };

/**
 * Spawns the emulator under a small shell that also ends it when this process is gone: Stryker kills
 * a test runner process that times out, and its teardown never runs then.
 */
function spawnEmulator(args: string[]): Promise<Running> {
  const tsx = path.join(PROJECT_DIR, "node_modules", ".bin", "tsx");
  const script = `"${tsx}" emulator/src/main.ts "$@" & c=$!; trap 'kill $c 2>/dev/null; exit 0' TERM INT; while kill -0 ${process.pid} 2>/dev/null && kill -0 $c 2>/dev/null; do sleep 1; done; kill $c 2>/dev/null`;
  const child = spawn("sh", ["-c", script, "sh", "--port", "0", "--token-rate-limit", "0", ...args], {
    cwd: PROJECT_DIR,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Emulator did not start:\n${output}`)), 60_000);
    child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stdout!.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      const match = /EMULATOR_READY (\S+)/.exec(output);
      if (!match) return;
      clearTimeout(timer);
      resolve({ url: match[1]!, child });
    });
    child.once("exit", (code) => reject(new Error(`Emulator exited (${code}):\n${output}`)));
  });
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const emulators = new Map<string, Promise<Running>>();
  const broker = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const args = JSON.parse(Buffer.concat(chunks).toString() || "[]") as string[];
      const key = JSON.stringify(args);
      let running = emulators.get(key);
      if (!running) {
        running = spawnEmulator(args);
        running.catch(() => emulators.delete(key));
        emulators.set(key, running);
      }
      running.then(
        ({ url }) => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ url })),
        (error: unknown) => res.writeHead(500).end(String(error)),
      );
    });
  });
  await new Promise<void>((resolve) => broker.listen(0, "127.0.0.1", resolve));
  project.provide("mutationEmulatorBroker", `http://127.0.0.1:${(broker.address() as AddressInfo).port}`);
  return async () => {
    await new Promise((resolve) => broker.close(resolve));
    const all = await Promise.allSettled(emulators.values());
    await Promise.all(
      all.map((result) =>
        result.status === "fulfilled" && result.value.child.exitCode === null
          ? new Promise<void>((done) => {
              result.value.child.once("exit", () => done());
              result.value.child.kill("SIGTERM");
            })
          : undefined,
      ),
    );
  };
}
