// Settings that would remove records say how many first and need a confirmation (issue 17 item 2), the
// counts per status of what we hold (item 3), and turning a location off keeps its data.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_FIELD_MAPPING } from "@/lib/sync/field-mapping";
import { updateLocationSettings } from "@/lib/configuration/update-location-settings";
import { db } from "@/lib/db";
import { stopSender } from "@/lib/jobs/boss";
import type { LocationSettings } from "@/lib/sync/location-settings";
import { countMembersByStatus, countSettingsRemovals } from "@/lib/sync/settings-removals";
import { closeSqlPool } from "@/lib/sql-pool";
import { applyEntityEvent } from "@/lib/webhooks/apply-entity-event";
import { connectInstallation, emulatorRecords } from "../bench/lib/emulator-org";
import { startEmulatorProcess, type EmulatorProcess } from "./support/emulator";
import { useOfficeRnd } from "./support/officernd-env";
import { adminViewer, syncLocation } from "./support/sync-run";

const ORG = "acme-coworking";
const STATUSES = ["active", "former"] as LocationSettings["memberStatuses"];
const SETTINGS: LocationSettings = { syncMembers: true, syncCompanies: true, memberStatuses: STATUSES };
let emulator: EmulatorProcess;

beforeAll(async () => {
  process.env.OFFICERND_API_REQUESTS_PER_MINUTE = "100000";
  emulator = await startEmulatorProcess(["--members", "160", "--companies", "30", "--read-rate-limit", "0"]);
  await useOfficeRnd(emulator.url);
});

afterAll(async () => {
  await stopSender();
  await closeSqlPool();
  await emulator?.stop();
});

async function syncedLocation() {
  const [first] = await emulatorRecords(emulator, ORG, "locations");
  const locationId = first!._id;
  const installation = await connectInstallation({
    emulator,
    org: ORG,
    locationIds: [locationId],
    settings: SETTINGS,
  });
  expect(await syncLocation(installation, locationId)).toEqual(["succeeded"]);
  const viewer = await adminViewer(installation.installationId);
  const live = () =>
    db.member.count({ where: { installationId: installation.installationId, locationId, deletedAt: null } });
  return { installationId: installation.installationId, locationId, viewer, live };
}

const save = (
  settings: LocationSettings,
  extra: { syncEnabled?: boolean; confirmRemovals?: number } = {},
) => ({
  syncEnabled: extra.syncEnabled ?? true,
  settings,
  fieldMapping: DEFAULT_FIELD_MAPPING,
  confirmRemovals: extra.confirmRemovals,
});

describe("settings that remove records", () => {
  it("unticking Members saves nothing until the admin confirms the count; then removes exactly those, audited", async () => {
    const { installationId, locationId, viewer, live } = await syncedLocation();
    const held = await live();
    expect(held).toBeGreaterThan(5);
    const unticked = { ...SETTINGS, syncMembers: false };

    const asked = await updateLocationSettings({ viewer, locationId, form: save(unticked) });
    expect(asked).toMatchObject({
      changed: false,
      syncQueued: false,
      needsConfirmation: { members: held, companies: 0, total: held },
    });
    expect(asked.needsConfirmation?.reasons).toEqual([
      { kind: "members", reason: "members_unticked", count: held },
    ]);
    expect(await live()).toBe(held);
    const stored = await db.installationLocation.findFirstOrThrow({ where: { installationId, locationId } });
    expect(stored.settings).toMatchObject({ syncMembers: true });

    // A confirmation of fewer than would now go is not a confirmation.
    expect(
      (
        await updateLocationSettings({
          viewer,
          locationId,
          form: save(unticked, { confirmRemovals: held - 1 }),
        })
      ).needsConfirmation?.total,
    ).toBe(held);
    expect(await live()).toBe(held);

    const confirmed = await updateLocationSettings({
      viewer,
      locationId,
      form: save(unticked, { confirmRemovals: held }),
    });
    expect(confirmed).toMatchObject({ changed: true, removed: { members: held, companies: 0 } });
    expect(await live()).toBe(0);
    const tombstone = await db.member.findFirstOrThrow({ where: { installationId, locationId } });
    expect(tombstone).toMatchObject({ name: "", email: null, status: null, mapped: null });
    const audit = await db.auditEvent.findFirstOrThrow({
      where: { installationId, action: "location.records.removal_confirmed" },
    });
    expect(audit.after).toMatchObject({ confirmed: held, removed: { members: held, companies: 0 } });
  });

  it("dropping a status counts the members held in it; counts per status match OfficeRnD's", async () => {
    const { installationId, locationId, viewer, live } = await syncedLocation();
    const docs = await emulatorRecords(emulator, ORG, "members", locationId);
    const expected = STATUSES.map((status) => ({
      status,
      count: docs.filter((doc) => doc.status === status).length,
    }))
      .filter((row) => row.count > 0)
      .sort((a, b) => b.count - a.count || a.status.localeCompare(b.status));
    expect(await countMembersByStatus({ installationId, locationId })).toEqual(expected);
    const former = expected.find((row) => row.status === "former")?.count ?? 0;
    expect(former).toBeGreaterThan(0);

    const activeOnly = { ...SETTINGS, memberStatuses: ["active"] as LocationSettings["memberStatuses"] };
    const counted = await countSettingsRemovals({
      installationId,
      locationId,
      proposed: { syncEnabled: true, settings: activeOnly },
    });
    expect(counted).toMatchObject({
      members: former,
      companies: 0,
      total: former,
      reasons: [{ kind: "members", reason: "status_dropped", status: "former", count: former }],
    });
    const before = await live();
    const result = await updateLocationSettings({
      viewer,
      locationId,
      form: save(activeOnly, { confirmRemovals: former }),
    });
    expect(result).toMatchObject({
      changed: true,
      syncQueued: true,
      removed: { members: former, companies: 0 },
    });
    expect(await live()).toBe(before - former);
    expect(
      await db.member.count({ where: { installationId, locationId, deletedAt: null, status: "former" } }),
    ).toBe(0);
  });

  it("turning a location off asks nothing and keeps its data, also when its records change in OfficeRnD", async () => {
    const { installationId, locationId, viewer, live } = await syncedLocation();
    const held = await live();
    const counted = await countSettingsRemovals({
      installationId,
      locationId,
      proposed: { syncEnabled: false, settings: SETTINGS },
    });
    expect(counted).toMatchObject({ total: 0, kept: { members: held } });
    const result = await updateLocationSettings({
      viewer,
      locationId,
      form: save(SETTINGS, { syncEnabled: false }),
    });
    expect(result).toMatchObject({ changed: true, syncQueued: false });
    expect(result.needsConfirmation).toBeUndefined();

    // A member of the paused location leaves the synced statuses at OfficeRnD: the kept copy stays.
    const member = await db.member.findFirstOrThrow({
      where: { installationId, locationId, deletedAt: null, status: "active" },
    });
    const changed = await emulator.control<{ _id: string } & Record<string, unknown>>(
      `/_emulator/orgs/${ORG}/members/${member.remoteId}`,
      { status: "lead" },
      "PATCH",
    );
    const outcome = await applyEntityEvent({
      installationId,
      kind: "members",
      action: "updated",
      object: changed,
    });
    expect(outcome).toMatchObject({ outcome: "ignored" });
    expect(await live()).toBe(held);
  });
});
