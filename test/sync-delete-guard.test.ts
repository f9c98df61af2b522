// The mass-delete breaker and "Preview sync" (issue 13 part 2) against the emulator and real Postgres:
// an empty members page in the middle of a pass, and a real mass removal at OfficeRnD.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { stopSender } from "@/lib/jobs/boss";
import { listPendingReviews, resolveDeletionReview } from "@/lib/configuration/deletion-review";
import { previewSync } from "@/lib/configuration/preview-sync";
import { listRecentRuns } from "@/lib/sync/runs";
import { closeSqlPool } from "@/lib/sql-pool";
import { connectInstallation, emulatorRecords } from "../bench/lib/emulator-org";
import { startEmulatorProcess, type EmulatorProcess } from "./support/emulator";
import { useOfficeRnd } from "./support/officernd-env";
import { adminViewer, FAST, syncLocation } from "./support/sync-run";

const ORG = "acme-coworking";
const PREVIEW_CLIENT = FAST.client;
let emulator: EmulatorProcess;
let busiest: { locationId: string; active: { _id: string; name?: unknown }[] };

beforeAll(async () => {
  process.env.OFFICERND_API_REQUESTS_PER_MINUTE = "100000";
  emulator = await startEmulatorProcess(["--members", "600", "--companies", "60", "--read-rate-limit", "0"]);
  await useOfficeRnd(emulator.url);
  // The location with the most active members: several pages of 50.
  const locations = await emulatorRecords(emulator, ORG, "locations");
  const members = await emulatorRecords(emulator, ORG, "members");
  const byLocation = locations.map((location) => ({
    locationId: location._id,
    active: members.filter((member) => member.location === location._id && member.status === "active"),
  }));
  busiest = byLocation.sort((a, b) => b.active.length - a.active.length)[0]!;
  expect(busiest.active.length).toBeGreaterThan(100);
});

afterAll(async () => {
  await stopSender();
  await closeSqlPool();
  await emulator?.stop();
});

async function syncedInstallation() {
  const installation = await connectInstallation({ emulator, org: ORG, locationIds: [busiest.locationId] });
  expect(await syncLocation(installation, busiest.locationId, "full")).toEqual(["succeeded"]);
  const viewer = await adminViewer(installation.installationId);
  const live = () =>
    db.member.count({ where: { installationId: installation.installationId, deletedAt: null } });
  return { installation, viewer, live };
}

describe("mass-delete breaker", () => {
  it("an empty members page mid-pass deletes nothing: the run needs review, Keep records keeps all (audited)", async () => {
    const { installation, viewer, live } = await syncedInstallation();
    const held = await live();
    expect(held).toBe(busiest.active.length);

    // OfficeRnD answers the second members page with an empty list and no cursor: the pass "ends" early.
    await emulator.control("/_emulator/faults", {
      path: "/api/v2/organizations/*/members",
      emptyList: true,
      skip: 1,
      times: 1,
    });
    expect(await syncLocation(installation, busiest.locationId, "full")).toEqual(["succeeded"]);
    const [run] = await listRecentRuns(installation.installationId, busiest.locationId, 1);
    expect(run).toMatchObject({ status: "needs_review", deleted: 0 });
    expect(await live()).toBe(held);

    const [pending] = await listPendingReviews(viewer);
    expect(pending).toMatchObject({ runId: run!.id, locationId: busiest.locationId });
    expect(pending!.review.wouldDelete.members).toBe(held - 50);
    expect(pending!.review.total).toBe(held - 50);
    expect(pending!.review.percent).toBeGreaterThan(20);
    expect(pending!.review.sample.length).toBe(10);

    // The same pass without the fault, previewed: nothing would go.
    const preview = await previewSync({ viewer, locationId: busiest.locationId, client: PREVIEW_CLIENT });
    expect(preview).toMatchObject({ isComplete: true, deleted: 0, created: 0, wouldNeedReview: false });

    expect(await resolveDeletionReview({ viewer, runId: run!.id, decision: "keep" })).toEqual({
      deleted: 0,
      kept: held - 50,
    });
    expect(await live()).toBe(held);
    expect(await listPendingReviews(viewer)).toEqual([]);
    const audit = await db.auditEvent.findFirstOrThrow({
      where: { installationId: installation.installationId, action: "sync.deletions_kept" },
    });
    expect(audit.after).toMatchObject({ runId: run!.id, deleted: 0, kept: held - 50 });
    const resolved = await db.syncRun.findUniqueOrThrow({ where: { id: run!.id } });
    expect(resolved.status).toBe("succeeded");
    expect(resolved.review).toMatchObject({ sample: [], resolution: { action: "kept" } });
    await expect(resolveDeletionReview({ viewer, runId: run!.id, decision: "apply" })).rejects.toThrow(
      /already reviewed/,
    );
  });

  it("a real mass removal is previewed, held for review, and removed on Apply deletions (audited)", async () => {
    const { installation, viewer, live } = await syncedInstallation();
    const held = await live();
    const removed = busiest.active.slice(0, Math.ceil(held * 0.4));
    for (const member of removed)
      await emulator.control(`/_emulator/orgs/${ORG}/members/${member._id}`, undefined, "DELETE");

    const preview = await previewSync({ viewer, locationId: busiest.locationId, client: PREVIEW_CLIENT });
    expect(preview).toMatchObject({
      isComplete: true,
      deleted: removed.length,
      created: 0,
      updated: 0,
      wouldNeedReview: true,
    });
    expect(preview.samples.deleted.length).toBe(10);
    // The preview wrote nothing.
    expect(await live()).toBe(held);
    expect(await db.syncRun.count({ where: { installationId: installation.installationId } })).toBe(1);

    await syncLocation(installation, busiest.locationId, "full");
    const [run] = await listRecentRuns(installation.installationId, busiest.locationId, 1);
    expect(run).toMatchObject({ status: "needs_review", deleted: 0 });
    expect(await live()).toBe(held);

    expect(await resolveDeletionReview({ viewer, runId: run!.id, decision: "apply" })).toEqual({
      deleted: removed.length,
      kept: 0,
    });
    expect(await live()).toBe(held - removed.length);
    const gone = await db.member.findUniqueOrThrow({
      where: {
        installationId_remoteId: { installationId: installation.installationId, remoteId: removed[0]!._id },
      },
    });
    expect(gone).toMatchObject({ name: "", email: null, status: null, mapped: null });
    expect(gone.deletedAt).not.toBeNull();
    const audit = await db.auditEvent.findFirstOrThrow({
      where: { installationId: installation.installationId, action: "sync.deletions_applied" },
    });
    expect(audit.after).toMatchObject({ runId: run!.id, deleted: removed.length });
    expect((await db.syncRun.findUniqueOrThrow({ where: { id: run!.id } })).deleted).toBe(removed.length);
  });
});
