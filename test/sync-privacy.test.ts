// Issue 12 item 8, sync side: tombstones keep only ids and times, and members outside the synced
// locations or statuses are not stored. Against the emulator and real Postgres.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { stopSender } from "@/lib/jobs/boss";
import { closeSqlPool } from "@/lib/sql-pool";
import { writeRows } from "@/lib/sync/upsert";
import { connectInstallation, emulatorRecords } from "../bench/lib/emulator-org";
import { startEmulatorProcess, type EmulatorProcess } from "./support/emulator";
import { useOfficeRnd } from "./support/officernd-env";
import { syncLocation } from "./support/sync-run";

const ORG = "acme-coworking";
let emulator: EmulatorProcess;

beforeAll(async () => {
  process.env.OFFICERND_API_REQUESTS_PER_MINUTE = "100000";
  emulator = await startEmulatorProcess(["--members", "120", "--companies", "20", "--read-rate-limit", "0"]);
  await useOfficeRnd(emulator.url);
});

afterAll(async () => {
  await stopSender();
  await closeSqlPool();
  await emulator?.stop();
});

const BARE = { name: "", email: null, status: null };

describe("personal data the customer chose not to sync", () => {
  it("a tombstone keeps only ids and times: after a member leaves the synced statuses, and after a sweep", async () => {
    const [location] = await emulatorRecords(emulator, ORG, "locations");
    const installation = await connectInstallation({ emulator, org: ORG, locationIds: [location!._id] });
    await syncLocation(installation, location!._id, "full");
    const [retired, removed] = (await emulatorRecords(emulator, ORG, "members", location!._id)).filter(
      (member) => member.status === "active",
    );
    await emulator.control(`/_emulator/orgs/${ORG}/members/${retired!._id}`, { status: "former" }, "PATCH");
    await emulator.control(`/_emulator/orgs/${ORG}/members/${removed!._id}`, undefined, "DELETE");
    await syncLocation(installation, location!._id, "incremental");
    await syncLocation(installation, location!._id, "full");

    for (const id of [retired!._id, removed!._id]) {
      const row = await db.member.findUniqueOrThrow({
        where: { installationId_remoteId: { installationId: installation.installationId, remoteId: id } },
      });
      expect(row.deletedAt).not.toBeNull();
      expect(row).toMatchObject(BARE);
      expect(Object.keys(row.data as object).sort()).toEqual(["_id", "modifiedAt"]);
    }
  });

  it("members in statuses not synced are not stored, even when an incremental run reads them", async () => {
    const [location] = await emulatorRecords(emulator, ORG, "locations");
    const installation = await connectInstallation({ emulator, org: ORG, locationIds: [location!._id] });
    await syncLocation(installation, location!._id, "full");
    // Touch every member of the location: the incremental run lists all statuses changed since.
    const members = await emulatorRecords(emulator, ORG, "members", location!._id);
    const others = members.filter((member) => member.status !== "active");
    expect(others.length).toBeGreaterThan(0);
    for (const member of others)
      await emulator.control(
        `/_emulator/orgs/${ORG}/members/${member._id}`,
        { name: `${String(member.name)} (touched)` },
        "PATCH",
      );
    await syncLocation(installation, location!._id, "incremental");
    const stored = await db.member.count({
      where: {
        installationId: installation.installationId,
        remoteId: { in: others.map((member) => member._id) },
      },
    });
    expect(stored).toBe(0);
  });

  it("a page row out of scope for an id we never held writes nothing; a removal keeps a bare tombstone", async () => {
    const [location] = await emulatorRecords(emulator, ORG, "locations");
    const installation = await connectInstallation({ emulator, org: ORG, locationIds: [location!._id] });
    const row = (id: string, deletedAt: string) => ({
      remoteId: id,
      locationId: "elsewhere",
      companyId: null,
      ...BARE,
      data: { _id: id, modifiedAt: "2025-01-01T00:00:00.000Z" },
      remoteModifiedAt: "2025-01-01T00:00:00.000Z",
      deletedAt,
    });
    const now = new Date().toISOString();
    await writeRows({
      kind: "members",
      installationId: installation.installationId,
      rows: [row("never-held", now)],
    });
    expect(
      await db.member.count({
        where: { installationId: installation.installationId, remoteId: "never-held" },
      }),
    ).toBe(0);
    await writeRows({
      kind: "members",
      installationId: installation.installationId,
      rows: [row("removed-unknown", now)],
      isRemoval: true,
    });
    expect(
      await db.member.findFirst({
        where: { installationId: installation.installationId, remoteId: "removed-unknown" },
      }),
    ).toMatchObject(BARE);
  });
});
