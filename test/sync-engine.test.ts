// The sync engine against the emulator (its own process, real HTTP) and real Postgres: full and
// incremental runs, settings, mark and sweep, and the checkpoint after a killed worker. Each test ends
// with our copy equal, record for record, to the emulator's data.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { stopSender } from "@/lib/jobs/boss";
import { executeRun, type EngineDeps } from "@/lib/sync/engine";
import { requestSync } from "@/lib/sync/request-sync";
import { claimNextRun } from "@/lib/sync/run-claim";
import { getActiveRun, listRecentRuns } from "@/lib/sync/runs";
import {
  compareWithEmulator,
  connectInstallation,
  emulatorRecords,
  type ConnectedInstallation,
} from "../bench/lib/emulator-org";
import { startEmulatorProcess, type EmulatorProcess } from "./support/emulator";
import { crashAfterPages, SimulatedCrash } from "./support/simulated-crash";
import { useOfficeRnd } from "./support/officernd-env";
import { closeSqlPool } from "@/lib/sql-pool";

const ORG = "acme-coworking";
const FAST: EngineDeps = { client: { policy: { baseDelayMs: 20, maxDelayMs: 200 } } };
let emulator: EmulatorProcess;

beforeAll(async () => {
  process.env.OFFICERND_API_REQUESTS_PER_MINUTE = "100000";
  // 600 members over 4 locations: several pages per location.
  emulator = await startEmulatorProcess(["--members", "600", "--companies", "120", "--read-rate-limit", "0"]);
  await useOfficeRnd(emulator.url);
});

afterAll(async () => {
  await stopSender();
  await closeSqlPool();
  await emulator?.stop();
});

/** Claims and executes runs of the location until none is left; returns the outcomes. */
async function drain(
  installationId: string,
  locationId: string | null,
  deps: EngineDeps = FAST,
): Promise<string[]> {
  const outcomes: string[] = [];
  for (let step = 0; step < 50; step++) {
    const claim = await claimNextRun({ installationId, locationId });
    if (claim.kind !== "claimed") return outcomes;
    outcomes.push(await executeRun(claim.run, deps));
  }
  throw new Error("runs did not finish");
}

async function syncAll(
  installation: ConnectedInstallation,
  kind: "full" | "incremental" | "auto" = "auto",
): Promise<void> {
  await requestSync({ installationId: installation.installationId, trigger: "test", kind });
  for (const locationId of installation.locationIds) await drain(installation.installationId, locationId);
}

describe("full sync", () => {
  it("copies every location, its companies and its active members, counting what it created", async () => {
    const installation = await connectInstallation({ emulator, org: ORG });
    await syncAll(installation);
    expect(await compareWithEmulator({ emulator, installation })).toEqual([]);

    const runs = await listRecentRuns(installation.installationId);
    const locationRuns = runs.filter((run) => run.locationId !== null);
    expect(locationRuns).toHaveLength(4);
    for (const run of locationRuns) {
      expect(run).toMatchObject({ status: "succeeded", kind: "full", updated: 0, deleted: 0, failed: 0 });
      expect(run.created).toBeGreaterThan(0);
      expect(run.done).toBe(run.created + run.unchanged);
      expect(run.total).toBe(run.done);
      expect(run.finishedAt).not.toBeNull();
    }
    const members = await emulatorRecords(emulator, ORG, "members");
    const activeMembers = members.filter((member) => member.status === "active").length;
    expect(
      await db.member.count({ where: { installationId: installation.installationId, deletedAt: null } }),
    ).toBe(activeMembers);

    // The comparison is not vacuous: one altered document is reported.
    const sample = await db.member.findFirstOrThrow({
      where: { installationId: installation.installationId },
    });
    await db.member.update({
      where: {
        installationId_remoteId: { installationId: sample.installationId, remoteId: sample.remoteId },
      },
      data: { data: { _id: sample.remoteId } },
    });
    expect(await compareWithEmulator({ emulator, installation })).toEqual([
      { kind: "members", id: sample.remoteId, problem: "different" },
    ]);
  });

  it("respects the location settings: no companies, and members in the chosen statuses", async () => {
    const settings = { syncCompanies: false, memberStatuses: ["active", "former", "pending"] };
    const installation = await connectInstallation({ emulator, org: ORG, settings });
    await syncAll(installation);
    expect(
      await compareWithEmulator({
        emulator,
        installation,
        syncCompanies: false,
        memberStatuses: settings.memberStatuses,
      }),
    ).toEqual([]);
    expect(await db.company.count({ where: { installationId: installation.installationId } })).toBe(0);
  });

  it("only syncs the installation's own locations", async () => {
    const [first] = await emulatorRecords(emulator, ORG, "locations");
    const installation = await connectInstallation({ emulator, org: ORG, locationIds: [first!._id] });
    await syncAll(installation);
    expect(await compareWithEmulator({ emulator, installation })).toEqual([]);
    const foreign = await db.member.count({
      where: { installationId: installation.installationId, NOT: { locationId: first!._id } },
    });
    expect(foreign).toBe(0);
  });
});

describe("later runs", () => {
  it("are incremental: changes since the watermark are applied, and a full pass sweeps removals", async () => {
    const installation = await connectInstallation({ emulator, org: ORG });
    await syncAll(installation);
    const location = installation.locationIds[0]!;
    const members = (await emulatorRecords(emulator, ORG, "members", location)).filter(
      (member) => member.status === "active",
    );
    const [renamed, removed, retired] = members;
    await emulator.control(
      `/_emulator/orgs/${ORG}/members/${renamed!._id}`,
      { name: "Renamed Member" },
      "PATCH",
    );
    await emulator.control(`/_emulator/orgs/${ORG}/members/${retired!._id}`, { status: "former" }, "PATCH");
    await emulator.control(`/_emulator/orgs/${ORG}/members/${removed!._id}`, undefined, "DELETE");
    const created = await emulator.control<{ _id: string }>(`/_emulator/orgs/${ORG}/members`, {
      name: "New Member",
      location,
      status: "active",
    });

    await requestSync({ installationId: installation.installationId, locationId: location, trigger: "test" });
    await drain(installation.installationId, location);
    const [incremental] = await listRecentRuns(installation.installationId, location, 1);
    expect(incremental).toMatchObject({
      kind: "incremental",
      status: "succeeded",
      created: 1,
      updated: 1,
      deleted: 1,
    });
    const row = (id: string) =>
      db.member.findUnique({
        where: { installationId_remoteId: { installationId: installation.installationId, remoteId: id } },
      });
    expect((await row(renamed!._id))?.name).toBe("Renamed Member");
    expect((await row(retired!._id))?.deletedAt).not.toBeNull();
    expect((await row(created._id))?.deletedAt).toBeNull();
    // An incremental run cannot see a removal (OfficeRnD lists what exists); a full pass can.
    expect((await row(removed!._id))?.deletedAt).toBeNull();

    await requestSync({
      installationId: installation.installationId,
      locationId: location,
      trigger: "test",
      kind: "full",
    });
    await drain(installation.installationId, location);
    const [full] = await listRecentRuns(installation.installationId, location, 1);
    expect(full).toMatchObject({ kind: "full", status: "succeeded", deleted: 1, created: 0, updated: 0 });
    expect((await row(removed!._id))?.deletedAt).not.toBeNull();
    expect(await compareWithEmulator({ emulator, installation })).toEqual([]);
  });

  it("coalesce: asking twice while a run waits queues one run", async () => {
    const installation = await connectInstallation({ emulator, org: ORG });
    const location = installation.locationIds[0]!;
    const first = await requestSync({
      installationId: installation.installationId,
      locationId: location,
      trigger: "test",
    });
    const second = await requestSync({
      installationId: installation.installationId,
      locationId: location,
      trigger: "test",
    });
    expect(second.runIds).toEqual(first.runIds);
    expect((await getActiveRun(installation.installationId, location))?.id).toBe(first.runIds[0]);
  });
});

describe("a killed worker", () => {
  it("leaves a checkpoint; the run resumes from it, without re-reading pages or deleting anything early", async () => {
    const installation = await connectInstallation({ emulator, org: ORG });
    const location = installation.locationIds[1]!;
    await syncAll(installation);
    // A removal that only the completed pass of the next full run may act on.
    const [victim] = (await emulatorRecords(emulator, ORG, "members", location)).filter(
      (member) => member.status === "active",
    );
    await emulator.control(`/_emulator/orgs/${ORG}/members/${victim!._id}`, undefined, "DELETE");

    await requestSync({
      installationId: installation.installationId,
      locationId: location,
      trigger: "test",
      kind: "full",
    });
    const claim = await claimNextRun({ installationId: installation.installationId, locationId: location });
    if (claim.kind !== "claimed") throw new Error("not claimed");
    await expect(executeRun(claim.run, { ...FAST, afterPage: crashAfterPages(2) })).rejects.toBeInstanceOf(
      SimulatedCrash,
    );

    const crashed = await db.syncRun.findUniqueOrThrow({ where: { id: claim.run.id } });
    expect(crashed.status).toBe("running");
    expect(crashed.checkpoint).toMatchObject({ phase: "members" });
    const doneAtCrash = crashed.done;
    expect(
      (
        await db.member.findFirst({
          where: { installationId: installation.installationId, remoteId: victim!._id },
        })
      )?.deletedAt,
    ).toBeNull();

    // While its heartbeat is fresh nobody else may take the location…
    expect(
      (await claimNextRun({ installationId: installation.installationId, locationId: location })).kind,
    ).toBe("busy");
    // …once it goes stale, the next worker resumes the same run from the checkpoint.
    await db.syncRun.update({
      where: { id: claim.run.id },
      data: { heartbeatAt: new Date(Date.now() - 120_000) },
    });
    const resumed = await claimNextRun({ installationId: installation.installationId, locationId: location });
    expect(resumed.kind === "claimed" && resumed.run.id).toBe(claim.run.id);
    if (resumed.kind !== "claimed") return;
    expect(resumed.run.checkpoint.attempts).toBe(1);
    expect(await executeRun(resumed.run, FAST)).toBe("succeeded");

    const finished = await db.syncRun.findUniqueOrThrow({ where: { id: claim.run.id } });
    const expectedRows =
      1 +
      (await emulatorRecords(emulator, ORG, "companies", location)).length +
      (await emulatorRecords(emulator, ORG, "members", location)).filter(
        (member) => member.status === "active",
      ).length;
    // Every record read exactly once across both workers.
    expect(finished).toMatchObject({ status: "succeeded", done: expectedRows, deleted: 1 });
    expect(finished.done).toBeGreaterThan(doneAtCrash);
    expect(await compareWithEmulator({ emulator, installation })).toEqual([]);
  });

  it("a stale worker that wakes up finds its lease gone and writes no progress", async () => {
    const installation = await connectInstallation({ emulator, org: ORG });
    const location = installation.locationIds[2]!;
    await requestSync({ installationId: installation.installationId, locationId: location, trigger: "test" });
    const first = await claimNextRun({ installationId: installation.installationId, locationId: location });
    if (first.kind !== "claimed") throw new Error("not claimed");
    await db.syncRun.update({
      where: { id: first.run.id },
      data: { heartbeatAt: new Date(Date.now() - 120_000) },
    });
    const second = await claimNextRun({ installationId: installation.installationId, locationId: location });
    if (second.kind !== "claimed") throw new Error("not claimed");
    expect(await executeRun(first.run, FAST)).toBe("cancelled");
    expect(await executeRun(second.run, FAST)).toBe("succeeded");
    expect(
      await compareWithEmulator({ emulator, installation: { ...installation, locationIds: [location] } }),
    ).toEqual([]);
  });
});
