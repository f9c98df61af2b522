import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

// `npm run emulator`: flags and EMULATOR_* env vars, exactly one stdout line `EMULATOR_READY <url>`,
// and a clean exit on SIGTERM/SIGINT.

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const TSX = `${ROOT}node_modules/.bin/tsx`;

function run(args: string[], env: Record<string, string> = {}) {
  const child = spawn(TSX, ["emulator/src/main.ts", ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const ready = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not ready: ${stderr}`)), 20_000);
    child.stdout.on("data", () => {
      const match = /EMULATOR_READY (\S+)\n/.exec(stdout);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    void exited.then(() => reject(new Error(`exited: ${stderr}`)));
  });
  // Tests that expect an exit never await readiness; keep that rejection from going unhandled.
  ready.catch(() => undefined);
  return { child, ready, exited, output: () => ({ stdout, stderr }) };
}

describe("command line", () => {
  it("prints one READY line, applies flags and env vars, and exits cleanly on SIGTERM", async () => {
    const emulator = run(["--port", "0", "--members", "12", "--public-url", "http://emulator.test:9999"], {
      EMULATOR_COMPANIES: "3",
      EMULATOR_SEED: "5",
    });
    expect(await emulator.ready).toBe("http://emulator.test:9999");
    emulator.child.kill("SIGTERM");
    expect(await emulator.exited).toBe(0);
    expect(emulator.output().stdout).toBe("EMULATOR_READY http://emulator.test:9999\n");
  });

  it("serves on the chosen port and stops on SIGINT", async () => {
    const emulator = run(["--port", "0", "--members", "12", "--companies", "3", "--seed", "9"]);
    const url = await emulator.ready;
    expect(url).toMatch(/^http:\/\/localhost:\d+$/);
    const state = (await (await fetch(`${url}/_emulator/state`)).json()) as {
      seed: number;
      membersPerOrganization: number;
      companiesPerOrganization: number;
    };
    expect([state.seed, state.membersPerOrganization, state.companiesPerOrganization]).toEqual([9, 12, 3]);
    emulator.child.kill("SIGINT");
    expect(await emulator.exited).toBe(0);
  });

  it("takes acme-coworking's location count from --locations or EMULATOR_LOCATIONS", async () => {
    const locationCounts = async (emulator: ReturnType<typeof run>) => {
      const state = (await (await fetch(`${await emulator.ready}/_emulator/state`)).json()) as {
        organizations: Array<{ locations: unknown[] }>;
      };
      emulator.child.kill("SIGTERM");
      await emulator.exited;
      return state.organizations.map((org) => org.locations.length);
    };
    expect(await locationCounts(run(["--port", "0", "--members", "12", "--locations", "10"]))).toEqual([
      10, 2,
    ]);
    expect(
      await locationCounts(run(["--port", "0", "--members", "12"], { EMULATOR_LOCATIONS: "7" })),
    ).toEqual([7, 2]);
    const invalid = run(["--port", "0", "--locations", "0"]);
    expect(await invalid.exited).toBe(1);
  });

  it("refuses unknown flags and invalid values with exit code 2 or 1", async () => {
    const unknown = run(["--nope"]);
    expect(await unknown.exited).toBe(2);
    expect(unknown.output().stderr).toContain("Usage");
    const invalid = run(["--port", "0", "--members=-4"]);
    expect(await invalid.exited).toBe(1);
    expect(invalid.output().stdout).toBe("");
  });
});
