// Starts the OfficeRnD emulator as its own process (the app and the emulator only ever speak HTTP),
// on a free port, and waits for its EMULATOR_READY line.
import { spawn } from "node:child_process";
import path from "node:path";
import { PROJECT_DIR } from "../../scripts/lib/database.ts";

export type EmulatorProcess = {
  url: string;
  stop: () => Promise<void>;
  control: <T = unknown>(route: string, body?: unknown, method?: string) => Promise<T>;
};

export function startEmulatorProcess(args: string[] = []): Promise<EmulatorProcess> {
  const child = spawn(
    path.join(PROJECT_DIR, "node_modules", ".bin", "tsx"),
    ["emulator/src/main.ts", "--port", "0", "--token-rate-limit", "0", ...args],
    {
      cwd: PROJECT_DIR,
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let output = "";
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Emulator did not start:\n${output}`)), 30_000);
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      const match = /EMULATOR_READY (\S+)/.exec(output);
      if (!match) return;
      clearTimeout(timer);
      const url = match[1]!;
      resolve({
        url,
        stop: () =>
          new Promise((done) => {
            if (child.exitCode !== null) return done();
            child.once("exit", () => done());
            child.kill("SIGTERM");
          }),
        control: async <T>(route: string, body?: unknown, method = body === undefined ? "GET" : "POST") => {
          const response = await fetch(`${url}${route}`, {
            method,
            headers: { "content-type": "application/json" },
            body: body === undefined ? undefined : JSON.stringify(body),
          });
          if (!response.ok)
            throw new Error(`${method} ${route} → ${response.status}: ${await response.text()}`);
          return (await response.json()) as T;
        },
      });
    });
    child.once("exit", (code) => reject(new Error(`Emulator exited (${code}):\n${output}`)));
  });
}
