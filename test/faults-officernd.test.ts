// OfficeRnD slow, answering garbage, or down (issue 8): every call is bounded by a timeout, the failed
// run ends (no stuck job) with a readable error that the configuration page shows, and the healthcheck
// answers 503 with a message when the token cannot be refreshed.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { loadConfiguration } from "@/lib/configuration/load-configuration";
import type { ConfigureViewer } from "@/lib/configuration/access";
import { db } from "@/lib/db";
import { checkInstallationHealth } from "@/lib/installations/check-installation-health";
import { stopSender } from "@/lib/jobs/boss";
import { executeRun, type EngineDeps } from "@/lib/sync/engine";
import { requestSync } from "@/lib/sync/request-sync";
import { claimNextRun } from "@/lib/sync/run-claim";
import { closeSqlPool } from "@/lib/sql-pool";
import { connectInstallation, type ConnectedInstallation } from "../bench/lib/emulator-org";
import { startEmulatorProcess, type EmulatorProcess } from "./support/emulator";
import { useOfficeRnd } from "./support/officernd-env";

const ORG = "acme-coworking";
const MEMBERS_PATH = `/api/v2/organizations/${ORG}/members`;
const TIMEOUT_MS = 300;
let emulator: EmulatorProcess;

// Few, fast attempts: the point is that a persistent fault ends the run, not how long retries last.
const deps: EngineDeps = {
  client: {
    policy: { baseDelayMs: 5, maxDelayMs: 20, maxAttempts: 3 },
    timeoutMs: TIMEOUT_MS,
    sleep: async () => {},
  },
};

beforeAll(async () => {
  process.env.OFFICERND_API_REQUESTS_PER_MINUTE = "100000";
  process.env.OFFICERND_HTTP_TIMEOUT_MS = String(TIMEOUT_MS);
  emulator = await startEmulatorProcess(["--members", "120", "--companies", "20", "--read-rate-limit", "0"]);
  await useOfficeRnd(emulator.url);
});

afterEach(async () => {
  if (emulator) await emulator.control("/_emulator/faults", undefined, "DELETE").catch(() => undefined);
});

afterAll(async () => {
  await stopSender();
  await closeSqlPool();
  await emulator?.stop();
});

function viewerFor(installation: ConnectedInstallation): ConfigureViewer {
  return {
    installationId: installation.installationId,
    accountId: installation.accountId,
    kind: "officernd-admin",
    actor: `officernd-admin:${installation.installationId}`,
    role: null,
    canEdit: true,
    isRemoved: false,
  };
}

/** Claims and runs the location's sync until it ends, as the job and maintenance would (bounded). */
async function failingSync(installation: ConnectedInstallation) {
  const locationId = installation.locationIds[0]!;
  await requestSync({
    installationId: installation.installationId,
    locationId,
    trigger: "test",
    kind: "full",
  });
  let runId: string | undefined;
  let attempts = 0;
  for (; attempts < 12; attempts++) {
    const claim = await claimNextRun({ installationId: installation.installationId, locationId });
    if (claim.kind !== "claimed") break;
    runId = claim.run.id;
    const afterFirst = await db.syncRun.findUniqueOrThrow({ where: { id: runId } });
    if (attempts === 1) firstError.set(runId, afterFirst.error);
    await executeRun(claim.run, deps).catch(() => undefined);
  }
  if (!runId) throw new Error("no run was claimed");
  return { attempts, run: await db.syncRun.findUniqueOrThrow({ where: { id: runId } }), locationId };
}

/** The reason recorded after the first failed attempt, while the run was queued for another. */
const firstError = new Map<string, string | null>();

describe("OfficeRnD misbehaving", () => {
  for (const [name, fault, reason] of [
    ["answering garbage", { path: MEMBERS_PATH, garbage: true }, /\w/],
    ["slow (10 s per answer)", { path: MEMBERS_PATH, latencyMs: 10_000 }, /did not answer in time/],
    ["answering 500", { path: MEMBERS_PATH, status: 500 }, /\w/],
  ] as const) {
    it(`${name}: the run ends failed within its bounded retries, and the configuration page shows why`, async () => {
      const installation = await connectInstallation({ emulator, org: ORG });
      await emulator.control("/_emulator/faults", fault);
      const { run, locationId, attempts } = await failingSync(installation);
      const [faulted] = await emulator.control<{ hits: number }[]>("/_emulator/faults");

      // Each attempt hands the run back with its reason; after the last one it fails for good.
      expect(firstError.get(run.id)).toMatch(/\w{3,}/);
      expect(run.status).toBe("failed");
      expect(run.finishedAt).not.toBeNull();
      expect(run.error).toMatch(/^Gave up after \d+ attempts: \w/);
      expect(run.error).toMatch(reason);
      expect(run.error).not.toMatch(/\n\s+at /); // a message, not a stack trace
      // Bounded, counted (not timed): every attempt asked OfficeRnD at least once and at most the client's
      // maxAttempts (3) times, and the run ended before the loop's 12 claims ran out.
      expect(attempts).toBeGreaterThan(1);
      expect(attempts).toBeLessThan(12);
      expect(faulted!.hits).toBeGreaterThanOrEqual(attempts);
      expect(faulted!.hits).toBeLessThanOrEqual(attempts * 3);

      const page = await loadConfiguration({ viewer: viewerFor(installation) });
      const card = page.locations.find((location) => location.locationId === locationId)!;
      expect(card.progress === null || card.progress.status !== "running").toBe(true);
      expect(card.runs[0]).toMatchObject({ id: run.id, status: "failed", error: run.error });
    });
  }

  it("down: a healthcheck that needs a token refresh answers 503 unavailable with a message", async () => {
    const installation = await connectInstallation({ emulator, org: ORG });
    await db.installation.update({
      where: { id: installation.installationId },
      data: { tokenExpiresAt: new Date(Date.now() + 5_000) },
    });
    const signed = await db.installation.findUniqueOrThrow({
      where: { id: installation.installationId },
      include: { account: true },
    });
    await emulator.stop();
    await expect(
      checkInstallationHealth({
        ...signed,
        accountName: signed.account.name,
        status: "active",
        lastHealthcheckAt: null,
      }),
    ).rejects.toMatchObject({
      code: "unavailable",
      status: 503,
      message: expect.stringMatching(/unavailable/i),
    });
    const after = await db.installation.findUniqueOrThrow({ where: { id: installation.installationId } });
    expect(after.status).toBe("active"); // an outage is not a reason to ask the admin to reconnect
  });
});
