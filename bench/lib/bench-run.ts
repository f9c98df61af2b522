// What the sync benchmarks (bench:sync, bench:api-calls) share: the emulator each size runs against,
// the app's environment pointed at it, and the child process that does the measuring (env() is read
// once per process, so each measurement gets its own) with its one-line JSON result.
import { spawn } from "node:child_process";
import path from "node:path";
import { parseArgs, type ParseArgsConfig } from "node:util";
import { PROJECT_DIR } from "../../scripts/lib/database.ts";
import { startEmulatorProcess, type EmulatorProcess } from "../../test/support/emulator.ts";
import type { EmulatorHandle } from "./emulator-org.ts";

export const BENCH_ORG = "acme-coworking";
/** The emulator's generator seed (its default): the baseline regenerates the same records from it. */
export const BENCH_SEED = 1;

export type EmulatorSize = { members: number; companies: number; locations: number };

/**
 * An emulator process seeded with `size` for acme-coworking. `readRateLimit` is OfficeRnD's read limit
 * per minute and organisation (429 with Retry-After beyond it); 0, the default here, turns it off.
 */
export function startBenchEmulator({
  size,
  readRateLimit = 0,
  profile,
}: {
  size: EmulatorSize;
  readRateLimit?: number;
  profile?: string;
}): Promise<EmulatorProcess> {
  return startEmulatorProcess([
    ...(profile ? ["--profile", profile] : []),
    "--members",
    String(size.members),
    "--companies",
    String(size.companies),
    "--locations",
    String(size.locations),
    "--read-rate-limit",
    String(readRateLimit),
  ]);
}

/**
 * The app's environment against the emulator and a benchmark database. `requestsPerMinute` is our
 * client's request budget per organisation (OFFICERND_API_REQUESTS_PER_MINUTE); without one it stays in
 * the path (one Postgres round trip per few requests), wide open.
 */
export function appEnv({
  databaseUrl,
  emulatorUrl,
  requestsPerMinute,
  extra = {},
}: {
  databaseUrl: string;
  emulatorUrl: string;
  requestsPerMinute?: number;
  extra?: Record<string, string>;
}): Record<string, string> {
  return {
    DATABASE_URL: databaseUrl,
    OFFICERND_IDENTITY_URL: emulatorUrl,
    OFFICERND_APP_URL: emulatorUrl,
    OFFICERND_CLIENT_ID: "demo-partner-app",
    OFFICERND_CLIENT_SECRET: "demo-partner-secret",
    NEXTAUTH_SECRET: "bench-nextauth-secret-0123456789abcdef0123",
    ENCRYPTION_KEY: "b1:" + Buffer.alloc(32, 9).toString("base64"),
    OFFICERND_API_REQUESTS_PER_MINUTE: String(requestsPerMinute ?? 1_000_000),
    LOG_LEVEL: "warn",
    ...extra,
  };
}

/** Runs `script` (a bench/lib file) under tsx with `env`, and returns the JSON after its `marker` line. */
export function runBenchChild<T>({
  script,
  args,
  env,
  marker,
}: {
  script: string;
  args: string[];
  env: Record<string, string>;
  marker: string;
}): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      path.join(PROJECT_DIR, "node_modules", ".bin", "tsx"),
      ["--conditions=react-server", script, ...args],
      {
        cwd: PROJECT_DIR,
        env: { ...process.env, ...env },
        stdio: ["ignore", "pipe", "inherit"],
      },
    );
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => {
      const text = chunk.toString();
      output += text;
      // Progress lines pass through; the result line is kept for the caller.
      for (const line of text.split("\n"))
        if (line.startsWith("[bench] ")) process.stdout.write(`  ${line.slice(8)}\n`);
    });
    child.once("exit", (code) => {
      const line = output.split("\n").find((text) => text.startsWith(`${marker} `));
      if (code !== 0 || !line)
        return reject(new Error(`benchmark child ${script} failed (${code}):\n${output}`));
      resolve(JSON.parse(line.slice(marker.length + 1)) as T);
    });
  });
}

// Not in emulator-org.ts: that file reaches the database, and the orchestrators run without it.
/** A handle on the emulator at `url`: its control API (`/_emulator/…`) as JSON calls. */
export function emulatorAt(url: string): EmulatorHandle {
  return {
    url,
    control: async <T>(route: string, body?: unknown, method = body === undefined ? "GET" : "POST") => {
      const response = await fetch(`${url}${route}`, {
        method,
        headers: { "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      if (!response.ok) throw new Error(`${method} ${route} → ${response.status}: ${await response.text()}`);
      return (await response.json()) as T;
    },
  };
}

/** In a child: its options (plus the emulator's address, always given) and a handle on that emulator. */
export function parseChildArgs(options: NonNullable<ParseArgsConfig["options"]>): {
  values: Record<string, string | boolean | undefined>;
  emulator: EmulatorHandle;
} {
  const { values } = parseArgs({ options: { ...options, "emulator-url": { type: "string" } } }) as {
    values: Record<string, string | boolean | undefined>;
  };
  const url = values["emulator-url"];
  if (typeof url !== "string") throw new Error("--emulator-url is required");
  const emulator: EmulatorHandle = emulatorAt(url);
  return { values, emulator };
}

/** In a child: the result line its parent waits for. */
export function printResult(marker: string, result: unknown): void {
  console.log(`${marker} ${JSON.stringify(result)}`);
}

/** In a child: a progress line the parent prints as it comes. */
export function progress(message: string): void {
  console.log(`[bench] ${message}`);
}
