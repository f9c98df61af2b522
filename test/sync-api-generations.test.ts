// The same full sync through API v1 and API v2 (OFFICERND_API=auto), against the emulator's `v1-only`
// profile (API v2 answers 403 to the legacy scopes) and its default `v2`: the copy equals the emulator's
// records one for one either way, the installation remembers which API it uses and why, and a record
// re-read by id comes back in the one model (404 → not found). Real Postgres, real HTTP.
import { afterAll, describe, expect, it, vi } from "vitest";
import { db } from "@/lib/db";
import { stopSender } from "@/lib/jobs/boss";
import { loadConfiguration } from "@/lib/configuration/load-configuration";
import { describeApiGeneration, getApiGenerationInfo } from "@/lib/officernd/api-generation-store";
import { readRecordById } from "@/lib/officernd/read-record";
import { executeRun, type EngineDeps } from "@/lib/sync/engine";
import { requestSync } from "@/lib/sync/request-sync";
import { claimNextRun } from "@/lib/sync/run-claim";
import { closeSqlPool } from "@/lib/sql-pool";
import {
  compareWithEmulator,
  connectInstallation,
  emulatorRecords,
  type ConnectedInstallation,
} from "../bench/lib/emulator-org";
import { startEmulatorProcess, type EmulatorProcess } from "./support/emulator";
import { useOfficeRnd } from "./support/officernd-env";

const ORG = "acme-coworking";
const FAST: EngineDeps = { client: { policy: { baseDelayMs: 20, maxDelayMs: 200 } } };
const realFetch = globalThis.fetch;
/** API requests this process sent, by generation. */
const sent = { v1: 0, v2: 0 };

afterAll(async () => {
  vi.restoreAllMocks();
  await stopSender();
  await closeSqlPool();
});

async function syncAll(installation: ConnectedInstallation): Promise<void> {
  await requestSync({ installationId: installation.installationId, trigger: "test", kind: "full" });
  for (const locationId of installation.locationIds) {
    for (let step = 0; step < 50; step++) {
      const claim = await claimNextRun({ installationId: installation.installationId, locationId });
      if (claim.kind !== "claimed") break;
      expect(await executeRun(claim.run, FAST)).toBe("succeeded");
    }
  }
}

describe.each([
  ["v1-only", "v1"],
  ["v2", "v2"],
] as const)("profile %s", (profile, generation) => {
  let emulator: EmulatorProcess;
  afterAll(async () => emulator?.stop());

  it(`syncs through API ${generation}, the copy equal to the emulator's records, and remembers why`, async () => {
    process.env.OFFICERND_API_REQUESTS_PER_MINUTE = "100000";
    emulator = await startEmulatorProcess([
      "--profile",
      profile,
      "--members",
      "600",
      "--companies",
      "120",
      "--read-rate-limit",
      "0",
    ]);
    await useOfficeRnd(emulator.url);
    vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
      const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
      if (url.includes("/api/v1/")) sent.v1++;
      if (url.includes("/api/v2/")) sent.v2++;
      return realFetch(input, init);
    });
    sent.v1 = 0;
    sent.v2 = 0;
    const installation = await connectInstallation({ emulator, org: ORG });
    await syncAll(installation);
    expect(await compareWithEmulator({ emulator, installation })).toEqual([]);
    const members = await emulatorRecords(emulator, ORG, "members");
    expect(
      await db.member.count({ where: { installationId: installation.installationId, deletedAt: null } }),
    ).toBe(members.filter((member) => member.status === "active").length);

    const info = await getApiGenerationInfo(installation.installationId);
    expect(info.generation).toBe(generation);
    if (generation === "v1") {
      expect(info.reason).toMatch(/403/);
      expect(info.nextV2AttemptAt).not.toBeNull();
      // Decided once: v2 was asked once per run at most, everything else went to v1.
      expect(sent.v2).toBeLessThanOrEqual(installation.locationIds.length);
    } else {
      expect(sent.v1).toBe(0);
    }
    // The configuration page's header and its health details (GET /api/configure/<id>/status) say which API
    // and why.
    const line = describeApiGeneration(info);
    expect(line).toMatch(
      generation === "v1"
        ? /^OfficeRnD API: v1 \(.*403.*; v2 is tried again after \d{4}-/
        : /^OfficeRnD API: v2 \(API v2 answered\)$/,
    );
    const viewer = {
      installationId: installation.installationId,
      accountId: installation.accountId,
      kind: "officernd-admin" as const,
      actor: `officernd-admin:${installation.installationId}`,
      role: null,
      canEdit: true,
      isRemoved: false,
    };
    expect((await loadConfiguration({ viewer })).health.officeRndApi).toBe(line);
    console.info(
      `[measure] profile ${profile}: ${members.length} members, API requests v1=${sent.v1} v2=${sent.v2}`,
    );

    const member = members.find((record) => record.status === "active")!;
    const found = await readRecordById({
      installationId: installation.installationId,
      kind: "members",
      id: member._id as string,
    });
    expect(found).toMatchObject({ kind: "found", record: { _id: member._id, location: member.location } });
    expect(found.kind === "found" && (found.record.company ?? null)).toBe(member.company ?? null);
    expect(
      await readRecordById({
        installationId: installation.installationId,
        kind: "members",
        id: "0".repeat(24),
      }),
    ).toMatchObject({ kind: "not_found" });
    vi.restoreAllMocks();
  }, 120_000);
});
