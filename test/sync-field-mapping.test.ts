// Field mapping reaches the partner's copy (issue 17 item 1): full and incremental runs and webhook
// events write mapped values, a mapping change re-maps held rows from their stored documents without
// a sync run, the preview shows real records before and after, and an unusable mapping is refused.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_FIELD_MAPPING, type FieldMapping } from "@/lib/sync/field-mapping";
import { updateLocationSettings } from "@/lib/configuration/update-location-settings";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { stopSender } from "@/lib/jobs/boss";
import { DEFAULT_LOCATION_SETTINGS } from "@/lib/sync/location-settings";
import { previewFieldMapping } from "@/lib/configuration/preview-mapping";
import { closeSqlPool } from "@/lib/sql-pool";
import { applyEntityEvent } from "@/lib/webhooks/apply-entity-event";
import { connectInstallation, emulatorRecords, type ConnectedInstallation } from "../bench/lib/emulator-org";
import { startEmulatorProcess, type EmulatorProcess } from "./support/emulator";
import { useOfficeRnd } from "./support/officernd-env";
import { adminViewer, drain, syncLocation } from "./support/sync-run";

const ORG = "acme-coworking";
const BY_EMAIL: FieldMapping = {
  ...DEFAULT_FIELD_MAPPING,
  member: { ...DEFAULT_FIELD_MAPPING.member, name: "email", tags: "status" },
};
let emulator: EmulatorProcess;

beforeAll(async () => {
  process.env.OFFICERND_API_REQUESTS_PER_MINUTE = "100000";
  emulator = await startEmulatorProcess(["--members", "120", "--companies", "30", "--read-rate-limit", "0"]);
  await useOfficeRnd(emulator.url);
});

afterAll(async () => {
  await stopSender();
  await closeSqlPool();
  await emulator?.stop();
});

async function firstLocationInstallation(
  fieldMapping: FieldMapping,
): Promise<{ installation: ConnectedInstallation; locationId: string }> {
  const [first] = await emulatorRecords(emulator, ORG, "locations");
  const installation = await connectInstallation({
    emulator,
    org: ORG,
    locationIds: [first!._id],
    settings: { fieldMapping },
  });
  return { installation, locationId: first!._id };
}

const liveMembers = (installationId: string) =>
  db.member.findMany({
    where: { installationId, deletedAt: null },
    select: { remoteId: true, name: true, email: true, data: true, mapped: true, companyId: true },
  });

describe("field mapping", () => {
  it("fills the copy on a full run: Name ← Email, tags from the status, the company's name", async () => {
    const { installation } = await firstLocationInstallation(BY_EMAIL);
    const [locationId] = installation.locationIds;
    expect(await syncLocation(installation, locationId!)).toEqual(["succeeded"]);
    const members = await liveMembers(installation.installationId);
    expect(members.length).toBeGreaterThan(3);
    const companies = new Map(
      (await db.company.findMany({ where: { installationId: installation.installationId } })).map((c) => [
        c.remoteId,
        c.name,
      ]),
    );
    for (const member of members) {
      const data = member.data as { name: string; email?: string; status: string };
      expect(member.name).toBe(data.email ?? data.name);
      expect(member.mapped).toMatchObject({
        name: member.name,
        tags: [data.status],
        company: member.companyId ? (companies.get(member.companyId) ?? null) : null,
      });
    }
    expect(members.some((member) => (member.mapped as { company: string | null }).company !== null)).toBe(
      true,
    );
  });

  it("re-maps held rows on a mapping change without a sync run, and previews three real records", async () => {
    const { installation, locationId } = await firstLocationInstallation(BY_EMAIL);
    await syncLocation(installation, locationId);
    const viewer = await adminViewer(installation.installationId);
    const runsBefore = await db.syncRun.count({ where: { installationId: installation.installationId } });

    const preview = await previewFieldMapping({ viewer, locationId, proposed: DEFAULT_FIELD_MAPPING });
    expect(preview.members).toHaveLength(3);
    expect(preview.companies.length).toBeGreaterThan(0);
    for (const sample of preview.members) {
      const row = await db.member.findUniqueOrThrow({
        where: {
          installationId_remoteId: { installationId: installation.installationId, remoteId: sample.remoteId },
        },
      });
      expect(sample.before.name).toBe(row.name);
      expect(sample.after.name).toBe((row.data as { name: string }).name);
      expect(sample.changedFields).toEqual(expect.arrayContaining(["name", "tags"]));
    }

    const result = await updateLocationSettings({
      viewer,
      locationId,
      form: { syncEnabled: true, settings: DEFAULT_LOCATION_SETTINGS, fieldMapping: DEFAULT_FIELD_MAPPING },
    });
    expect(result).toMatchObject({ changed: true, syncQueued: false });
    const members = await liveMembers(installation.installationId);
    expect(result.remapped?.members).toBe(members.length);
    for (const member of members) expect(member.name).toBe((member.data as { name: string }).name);
    // No run was queued: the re-map read our stored documents, not OfficeRnD.
    expect(await db.syncRun.count({ where: { installationId: installation.installationId } })).toBe(
      runsBefore,
    );
  });

  it("applies the mapping on incremental runs and on webhook events", async () => {
    const { installation, locationId } = await firstLocationInstallation(BY_EMAIL);
    await syncLocation(installation, locationId);
    const [member, other] = (await emulatorRecords(emulator, ORG, "members", locationId)).filter(
      (doc) => doc.status === "active",
    );
    await emulator.control(
      `/_emulator/orgs/${ORG}/members/${member!._id}`,
      { email: "changed.by.incremental@example.com" },
      "PATCH",
    );
    expect(await syncLocation(installation, locationId, "incremental")).toEqual(["succeeded"]);
    const row = (id: string) =>
      db.member.findUniqueOrThrow({
        where: { installationId_remoteId: { installationId: installation.installationId, remoteId: id } },
      });
    expect((await row(member!._id)).name).toBe("changed.by.incremental@example.com");

    const changed = await emulator.control<{ _id: string } & Record<string, unknown>>(
      `/_emulator/orgs/${ORG}/members/${other!._id}`,
      { email: "changed.by.webhook@example.com" },
      "PATCH",
    );
    const outcome = await applyEntityEvent({
      installationId: installation.installationId,
      kind: "members",
      action: "updated",
      object: changed,
    });
    expect(outcome.outcome).toBe("applied");
    expect(await row(other!._id)).toMatchObject({
      name: "changed.by.webhook@example.com",
      email: "changed.by.webhook@example.com",
    });
    await drain(installation.installationId, locationId);
  });

  it("refuses a mapping that takes Name from an Email it does not copy, naming the field", async () => {
    const { installation, locationId } = await firstLocationInstallation(DEFAULT_FIELD_MAPPING);
    const viewer = await adminViewer(installation.installationId);
    const invalid: FieldMapping = {
      ...DEFAULT_FIELD_MAPPING,
      member: { ...DEFAULT_FIELD_MAPPING.member, name: "email", email: "none" },
    };
    const saving = updateLocationSettings({
      viewer,
      locationId,
      form: { syncEnabled: true, settings: DEFAULT_LOCATION_SETTINGS, fieldMapping: invalid },
    });
    await expect(saving).rejects.toBeInstanceOf(AppError);
    await expect(saving).rejects.toThrow(/^member\.name: Name comes from Email/);
    const stored = await db.installationLocation.findFirstOrThrow({
      where: { installationId: installation.installationId, locationId },
    });
    expect(stored.settings).toMatchObject({ fieldMapping: DEFAULT_FIELD_MAPPING });
  });
});
