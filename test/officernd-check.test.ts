import { spawn } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createProbeHttp, type ProbeHttp } from "@/lib/officernd-check/http";
import { renderJson, renderTable } from "@/lib/officernd-check/report";
import { runCheck } from "@/lib/officernd-check/run-check";
import type { CheckOptions, CheckReport } from "@/lib/officernd-check/types";
import { PROJECT_DIR } from "../scripts/lib/database.ts";
import { startEmulatorProcess, type EmulatorProcess } from "./support/emulator";

// `npm run officernd:check` against the emulator under every OfficeRnD profile: ✓ everywhere for v2,
// the expected ✗ (with a reason and what to do) for the others, nothing left behind, no secret printed.

let emulator: EmulatorProcess;
let regionUrl: string;

beforeAll(async () => {
  emulator = await startEmulatorProcess();
  regionUrl = (await emulator.control<{ regionListenerUrl: string }>("/_emulator/state")).regionListenerUrl;
}, 60_000);
afterAll(() => emulator.stop());
beforeEach(() => emulator.control("/_emulator/reset", {}));

const SECRET = "demo-partner-secret";

function options(overrides: Partial<CheckOptions> = {}): CheckOptions {
  return {
    org: "acme-coworking",
    identityUrl: emulator.url,
    appUrl: emulator.url,
    clientId: "demo-partner-app",
    clientSecret: SECRET,
    appScopes: "officernd.api.read officernd.api.write",
    webhookUrl: "https://partner.example/api/officernd/webhooks",
    timeoutMs: 5_000,
    ...overrides,
  };
}

/** The check's HTTP layer, noting every token and webhook secret OfficeRnD hands out. */
function recordingHttp(): { http: ProbeHttp; issued: string[] } {
  const inner = createProbeHttp({ timeoutMs: 5_000 });
  const issued: string[] = [];
  const http: ProbeHttp = {
    rateHeaders: inner.rateHeaders,
    calls: inner.calls,
    async request(request) {
      const answer = await inner.request(request);
      const bodies = Array.isArray(answer.body) ? answer.body : [answer.body];
      for (const body of bodies) {
        const fields = (typeof body === "object" && body !== null ? body : {}) as Record<string, unknown>;
        for (const name of ["access_token", "refresh_token", "secret"])
          if (typeof fields[name] === "string") issued.push(fields[name] as string);
      }
      return answer;
    },
  };
  return { http, issued };
}

async function check(profile: string, overrides: Partial<CheckOptions> = {}): Promise<CheckReport> {
  await emulator.control("/_emulator/config", { profile });
  const { http, issued } = recordingHttp();
  const report = await runCheck(options(overrides), { http });
  const printed = renderTable(report) + renderJson(report);
  expect(issued.length).toBeGreaterThan(0);
  for (const secret of [SECRET, ...issued]) expect(printed).not.toContain(secret);
  expect(await emulator.control<unknown[]>("/_emulator/webhooks")).toEqual([]);
  return report;
}

const statuses = (report: CheckReport) => Object.fromEntries(report.rows.map((row) => [row.id, row.status]));
const row = (report: CheckReport, id: string) => report.rows.find((item) => item.id === id);

const ALL_PASS = {
  "token.legacy": "pass",
  "token.flex": "pass",
  organization: "pass",
  "api.v2": "pass",
  "api.v1": "pass",
  generation: "pass",
  "list.locations": "pass",
  "list.members": "pass",
  "list.companies": "pass",
  integrations: "pass",
  "webhooks.create": "pass",
  "webhooks.list": "pass",
  "webhooks.delete": "pass",
  cleanup: "pass",
  "rate-headers": "pass",
  "not-checkable": "skip",
};

describe("under every profile", () => {
  it("v2: ✓ everywhere, API v2, the test subscription created, listed and deleted", async () => {
    const report = await check("v2");
    expect(statuses(report)).toEqual(ALL_PASS);
    expect(report).toMatchObject({ ok: true, blockers: 0, generation: "v2", regionUrl: emulator.url });
    expect(row(report, "rate-headers")?.detail).toBe(
      "seen: x-ratelimit-limit, x-ratelimit-remaining, x-ratelimit-reset",
    );
  });

  it("v1-only: ✗ for flex.* tokens and API v2 with the reason and what to do; the app works on API v1, no blocker", async () => {
    const report = await check("v1-only");
    expect(statuses(report)).toEqual({ ...ALL_PASS, "token.flex": "fail", "api.v2": "fail" });
    expect(report).toMatchObject({ ok: true, generation: "v1" });
    expect(row(report, "token.flex")).toMatchObject({
      detail: expect.stringContaining("HTTP 400 invalid_scope"),
      action: expect.stringContaining("OFFICERND_API=auto"),
    });
    expect(row(report, "api.v2")?.detail).toContain("HTTP 403 Insufficient scope");
    expect(row(report, "generation")?.detail).toContain(
      "API v1 with OFFICERND_SCOPES (legacy set): API v2 refuses that token",
    );
    expect(row(report, "webhooks.create")?.detail).toContain("with API v1");
  });

  it("region: ✗ for data at OFFICERND_APP_URL (only regionUrl serves it), everything else ✓ at regionUrl", async () => {
    const report = await check("region");
    expect(statuses(report)).toEqual({ ...ALL_PASS, "region.app-url": "fail" });
    expect(report).toMatchObject({ ok: true, regionUrl, generation: "v2" });
    expect(row(report, "region.app-url")?.detail).toContain("HTTP 404");
    expect(row(report, "organization")?.detail).toContain(`regionUrl ${regionUrl} — not OFFICERND_APP_URL`);
  });

  it.each(["v1-webhooks", "sparse", "locations-change"])(
    "%s: ✓ everywhere (its differences are in what OfficeRnD sends the app)",
    async (profile) => {
      const report = await check(profile);
      expect(statuses(report)).toEqual(ALL_PASS);
      expect(report.ok).toBe(true);
    },
  );
});

describe("blockers", () => {
  it("names the exact field of the first page that does not parse", async () => {
    const bad = {
      _id: "5f0000000000000000000001",
      name: "Ada",
      location: "l1",
      company: null,
      status: 5,
      modifiedAt: "2024-01-01T00:00:00.000Z",
    };
    await emulator.control("/_emulator/faults", {
      path: "/api/v2/organizations/*/members",
      method: "GET",
      status: 200,
      body: { results: [bad], cursorNext: null },
    });
    const report = await check("v2");
    expect(row(report, "list.members")).toMatchObject({
      status: "fail",
      blocker: true,
      detail: "field members[0].status: members[0].status: expected a non-empty string, got number",
    });
    expect(report.ok).toBe(false);
  });

  it("says what was left behind when the subscription cannot be deleted", async () => {
    await emulator.control("/_emulator/config", { profile: "v2" });
    await emulator.control("/_emulator/faults", {
      path: "/api/v2/organizations/*/webhooks/*",
      method: "DELETE",
      status: 403,
    });
    const report = await runCheck(options());
    expect(row(report, "webhooks.delete")).toMatchObject({
      status: "fail",
      blocker: true,
      detail: expect.stringContaining("HTTP 403"),
    });
    expect(row(report, "cleanup")).toMatchObject({
      status: "fail",
      detail: expect.stringContaining("LEFT BEHIND: webhook subscription"),
    });
    expect(report.ok).toBe(false);
  });

  it("stops at the token when the client secret is wrong, without printing it", async () => {
    const report = await runCheck(options({ clientSecret: "wrong-secret-value" }));
    expect(statuses(report)).toEqual({ "token.legacy": "fail", "token.flex": "fail", organization: "skip" });
    expect(row(report, "token.legacy")?.action).toContain("OFFICERND_CLIENT_SECRET");
    expect(renderJson(report)).not.toContain("wrong-secret-value");
  });
});

function runCli(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(
      path.join(PROJECT_DIR, "node_modules", ".bin", "tsx"),
      ["--conditions=react-server", "scripts/officernd-check.ts", ...args],
      {
        cwd: PROJECT_DIR,
        env: { PATH: process.env.PATH ?? "", ...env } as unknown as NodeJS.ProcessEnv,
      },
    );
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.once("exit", (code) => resolve({ code, stdout, stderr }));
  });
}

describe("npm run officernd:check", () => {
  it("prints JSON and exits 0 without a blocker, 1 with one, 2 on bad usage; never the secret", async () => {
    const env = {
      OFFICERND_CLIENT_ID: "demo-partner-app",
      OFFICERND_CLIENT_SECRET: SECRET,
      OFFICERND_IDENTITY_URL: emulator.url,
      OFFICERND_APP_URL: emulator.url,
    };
    const ok = await runCli(["--org", "acme-coworking", "--json"], env);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ ok: true, generation: "v2" });
    const blocked = await runCli(["--org", "globex-spaces"], env);
    expect(blocked.code).toBe(1);
    expect(blocked.stdout).toContain("✗ Organisation and region");
    expect(blocked.stdout).toContain("run the check with --org <that organisation's slug>");
    expect((await runCli([], env)).code).toBe(2);
    for (const output of [ok, blocked]) expect(output.stdout + output.stderr).not.toContain(SECRET);
    expect(await emulator.control<unknown[]>("/_emulator/webhooks")).toEqual([]);
  }, 60_000);
});
