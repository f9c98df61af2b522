// The page upsert and the sweep against real Postgres: newer-wins, counts, tombstones, resurrection.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import type { SyncRow } from "@/lib/sync/mapping";
import { planDeletions, sampleDeletions } from "@/lib/sync/sweep-plan";
import { sweepRows, writeRows } from "@/lib/sync/upsert";
import { upsertSql } from "@/lib/sync/upsert-sql";
import { createInstallation, createUserWithAccount, randomHex } from "./support/factories";
import { closeSqlPool } from "@/lib/sql-pool";

let installationId: string;

beforeAll(async () => {
  const { account } = await createUserWithAccount();
  ({
    installation: { id: installationId },
  } = await createInstallation({ accountId: account.id }));
});

function member(id: string, modifiedAt: string, overrides: Partial<SyncRow> = {}): SyncRow {
  return {
    remoteId: id,
    locationId: "loc-1",
    companyId: null,
    name: `Member ${id}`,
    email: `${id}@example.com`,
    status: "active",
    data: { _id: id, name: `Member ${id}`, modifiedAt },
    remoteModifiedAt: modifiedAt,
    deletedAt: null,
    ...overrides,
  };
}

const stored = (remoteId: string) =>
  db.member.findUnique({ where: { installationId_remoteId: { installationId, remoteId } } });

afterAll(async () => {
  await closeSqlPool();
});

describe("writeRows", () => {
  it("counts created, then unchanged, then updated rows of a page", async () => {
    const [a, b] = [randomHex(), randomHex()];
    const first = await writeRows({
      kind: "members",
      installationId,
      rows: [member(a, "2024-01-01T00:00:00.000Z"), member(b, "2024-01-01T00:00:00.000Z")],
    });
    expect(first).toMatchObject({ rows: 2, created: 2, updated: 0, deleted: 0, unchanged: 0 });
    const again = await writeRows({
      kind: "members",
      installationId,
      rows: [member(a, "2024-01-01T00:00:00.000Z"), member(b, "2024-01-01T00:00:00.000Z")],
    });
    expect(again).toMatchObject({ created: 0, updated: 0, unchanged: 2 });
    const newer = await writeRows({
      kind: "members",
      installationId,
      rows: [
        member(a, "2024-02-01T00:00:00.000Z", { name: "Renamed" }),
        member(b, "2024-01-01T00:00:00.000Z"),
      ],
    });
    expect(newer).toMatchObject({ created: 0, updated: 1, unchanged: 1 });
    expect((await stored(a))?.name).toBe("Renamed");
    expect((await stored(a))?.remoteModifiedAt?.toISOString()).toBe("2024-02-01T00:00:00.000Z");
  });

  it("never lets an older version overwrite a newer one", async () => {
    const id = randomHex();
    await writeRows({
      kind: "members",
      installationId,
      rows: [member(id, "2024-03-01T00:00:00.000Z", { name: "Newest" })],
    });
    const older = await writeRows({
      kind: "members",
      installationId,
      rows: [member(id, "2024-02-01T00:00:00.000Z", { name: "Older" })],
    });
    expect(older).toMatchObject({ updated: 0, unchanged: 1 });
    expect((await stored(id))?.name).toBe("Newest");
  });

  it("keeps a removal against a stale copy of the same version, and inserts a tombstone for an unknown row", async () => {
    const id = randomHex();
    await writeRows({ kind: "members", installationId, rows: [member(id, "2024-03-01T00:00:00.000Z")] });
    const removedAt = new Date();
    const removal = await writeRows({
      kind: "members",
      installationId,
      rows: [member(id, "2024-03-01T00:00:00.000Z", { deletedAt: removedAt.toISOString() })],
      isRemoval: true,
    });
    expect(removal.deleted).toBe(1);
    // A "created" event delivered late, at the same version, must not bring it back.
    await writeRows({ kind: "members", installationId, rows: [member(id, "2024-03-01T00:00:00.000Z")] });
    expect((await stored(id))?.deletedAt).not.toBeNull();
    // Nor a page fetched before the removal was recorded.
    await writeRows({
      kind: "members",
      installationId,
      rows: [member(id, "2024-03-01T00:00:00.000Z")],
      observedAt: new Date(removedAt.getTime() - 1000),
    });
    expect((await stored(id))?.deletedAt).not.toBeNull();

    const unknown = randomHex();
    const tombstone = await writeRows({
      kind: "members",
      installationId,
      rows: [member(unknown, "2024-03-01T00:00:00.000Z", { deletedAt: new Date().toISOString() })],
      isRemoval: true,
    });
    expect(tombstone).toMatchObject({ created: 0, deleted: 0, unchanged: 1 });
    await writeRows({ kind: "members", installationId, rows: [member(unknown, "2024-02-01T00:00:00.000Z")] });
    expect((await stored(unknown))?.deletedAt).not.toBeNull();
  });

  it("brings back a swept row when a later page lists it at the same version", async () => {
    const id = randomHex();
    const runId = randomHex();
    const start = new Date(Date.now() - 60_000);
    await db.member.create({
      data: {
        installationId,
        remoteId: id,
        locationId: "loc-sweep",
        name: "Swept",
        data: {},
        remoteModifiedAt: new Date("2024-01-01T00:00:00.000Z"),
        updatedAt: new Date(start.getTime() - 1000),
      },
    });
    const swept = await sweepRows({
      kind: "members",
      installationId,
      locationId: "loc-sweep",
      runId,
      runStartedAt: start,
    });
    expect(swept).toBe(1);
    const back = await writeRows({
      kind: "members",
      installationId,
      rows: [member(id, "2024-01-01T00:00:00.000Z", { locationId: "loc-sweep" })],
      observedAt: new Date(Date.now() + 1000),
    });
    expect(back.created).toBe(1);
    expect((await stored(id))?.deletedAt).toBeNull();
  });

  it("sweeps only live rows of the location that the run neither saw nor anyone wrote since it started", async () => {
    const location = `loc-${randomHex(4)}`;
    const [seen, unseen, fresh] = [randomHex(), randomHex(), randomHex()];
    const runId = randomHex();
    const old = new Date(Date.now() - 3_600_000);
    for (const id of [seen, unseen]) {
      await db.member.create({
        data: {
          installationId,
          remoteId: id,
          locationId: location,
          name: id,
          data: {},
          remoteModifiedAt: new Date("2024-01-01T00:00:00.000Z"),
          updatedAt: old,
        },
      });
    }
    const runStartedAt = new Date(Date.now() - 1000);
    await writeRows({
      kind: "members",
      installationId,
      rows: [member(seen, "2024-01-01T00:00:00.000Z", { locationId: location })],
      seenByRunId: runId,
    });
    // Written by a webhook during the run, after its page had passed.
    await writeRows({
      kind: "members",
      installationId,
      rows: [member(fresh, "2024-01-01T00:00:00.000Z", { locationId: location })],
    });
    expect(
      await sweepRows({ kind: "members", installationId, locationId: location, runId, runStartedAt }),
    ).toBe(1);
    expect((await stored(unseen))?.deletedAt).not.toBeNull();
    expect((await stored(seen))?.deletedAt).toBeNull();
    expect((await stored(fresh))?.deletedAt).toBeNull();
  });

  it("accepts a page that lists one id twice, keeping the newer version", async () => {
    const id = randomHex();
    const result = await writeRows({
      kind: "companies",
      installationId,
      rows: [
        member(id, "2024-01-01T00:00:00.000Z", { name: "Old" }),
        member(id, "2024-05-01T00:00:00.000Z", { name: "New" }),
      ],
    });
    expect(result).toMatchObject({ rows: 1, created: 1 });
    expect(
      (await db.company.findUnique({ where: { installationId_remoteId: { installationId, remoteId: id } } }))
        ?.name,
    ).toBe("New");
  });
});

// The page upsert with the run's progress (the sync engine's call): counts, checkpoint, phase and heartbeat
// are written by the same statement, only while the run is running under the caller's lease. Found by
// mutation testing (issue 18, docs/mutation-testing.md): the listed sync tests reached this statement only
// through whole syncs, which check a few of the run's columns.
describe("writeRows with the run's progress", () => {
  const stamp = new Date("2026-11-30T10:00:00.000Z");

  async function runUnderLease(lease: string, status = "running") {
    return db.syncRun.create({
      data: {
        installationId,
        kind: "full",
        trigger: "manual",
        status,
        phase: "members",
        checkpoint: { lease, phase: "members" },
        created: 1,
        updated: 2,
        deleted: 3,
        unchanged: 4,
        failed: 5,
        done: 15,
      },
    });
  }

  /** A page of four members: one new, one newer, one now out of scope, one unchanged. */
  async function pageOfFour() {
    const [fresh, renamed, gone, same] = [randomHex(), randomHex(), randomHex(), randomHex()];
    await writeRows({
      kind: "members",
      installationId,
      rows: [renamed, gone, same].map((id) => member(id, "2024-01-01T00:00:00.000Z")),
    });
    return [
      member(fresh, "2024-01-01T00:00:00.000Z"),
      member(renamed, "2024-02-01T00:00:00.000Z", { name: "Renamed" }),
      member(gone, "2024-02-01T00:00:00.000Z", { deletedAt: "2024-02-01T00:00:00.000Z" }),
      member(same, "2024-01-01T00:00:00.000Z"),
    ];
  }

  const progressOf = (runId: string, lease: string, totalEstimate: number | null) => ({
    runId,
    checkpoint: { lease, phase: "companies", cursor: "next-page" },
    phase: "companies",
    lease,
    totalEstimate,
    failed: 2,
  });

  it("is left out unless asked for", () => {
    expect(upsertSql("members")).toBe(upsertSql("members", { withRunProgress: false }));
    expect(upsertSql("members")).not.toContain('UPDATE "SyncRun"');
  });

  it("adds the page's counts to the run and saves its checkpoint, phase and heartbeat", async () => {
    const run = await runUnderLease("lease-1");
    const result = await writeRows({
      kind: "members",
      installationId,
      rows: await pageOfFour(),
      seenByRunId: run.id,
      stamp,
      progress: progressOf(run.id, "lease-1", 100),
    });
    expect(result).toEqual({
      rows: 4,
      created: 1,
      updated: 1,
      deleted: 1,
      unchanged: 1,
      isRunUpdated: true,
    });
    expect(await db.syncRun.findUniqueOrThrow({ where: { id: run.id } })).toMatchObject({
      created: 2,
      updated: 3,
      deleted: 4,
      unchanged: 5,
      failed: 7,
      done: 21, // 15 + 4 rows + 2 unreadable
      total: 100,
      checkpoint: { lease: "lease-1", phase: "companies", cursor: "next-page" },
      phase: "companies",
      heartbeatAt: stamp,
    });
  });

  it.each([
    ["lower than what is done", 5],
    ["unknown", null],
  ])("counts the total as what is done when the estimate is %s", async (_name, totalEstimate) => {
    const run = await runUnderLease("lease-2");
    await writeRows({
      kind: "members",
      installationId,
      rows: await pageOfFour(),
      stamp,
      progress: progressOf(run.id, "lease-2", totalEstimate),
    });
    expect((await db.syncRun.findUniqueOrThrow({ where: { id: run.id } })).total).toBe(21);
  });

  it.each([
    ["held under another lease", "lease-3", "running"],
    ["no longer running", "lease-4", "cancelled"],
  ])("leaves a run %s as it was and says so", async (_name, lease, status) => {
    const run = await runUnderLease(lease === "lease-3" ? "someone-else" : lease, status);
    const result = await writeRows({
      kind: "members",
      installationId,
      rows: await pageOfFour(),
      stamp,
      progress: progressOf(run.id, lease, 100),
    });
    expect(result.isRunUpdated).toBe(false);
    expect(await db.syncRun.findUniqueOrThrow({ where: { id: run.id } })).toEqual(run);
  });
});

// What the sweep would delete, read without deleting (the mass-delete breaker's numbers and sample), for
// each kind: sweepPlanSql's count, sample and live statements (issue 18: the listed tests sampled members
// only, so the locations' statement never ran).
describe("planDeletions and sampleDeletions", () => {
  it("count and list, per kind, the location's live rows the run neither saw nor anyone wrote since it started", async () => {
    const location = `loc-${randomHex(4)}`;
    const runId = randomHex();
    const old = new Date(Date.now() - 3_600_000);
    const runStartedAt = new Date(Date.now() - 1000);
    const base = { installationId, data: {}, updatedAt: old };
    const [bea, al, seen, fresh, gone] = [randomHex(), randomHex(), randomHex(), randomHex(), randomHex()];
    await db.member.createMany({
      data: [
        { ...base, remoteId: bea, locationId: location, name: "Bea", email: "bea@example.com" },
        { ...base, remoteId: al, locationId: location, name: "Al", email: "al@example.com" },
        { ...base, remoteId: seen, locationId: location, name: "Seen", lastSeenRunId: runId },
        { ...base, remoteId: fresh, locationId: location, name: "Fresh", updatedAt: new Date() },
        { ...base, remoteId: gone, locationId: location, name: "Gone", deletedAt: old },
        { ...base, remoteId: randomHex(), locationId: "elsewhere", name: "Elsewhere" },
      ],
    });
    const company = randomHex();
    await db.company.create({
      data: { ...base, remoteId: company, locationId: location, name: "Acme", email: "hello@acme.test" },
    });
    await db.syncedLocation.create({ data: { ...base, remoteId: location, name: "Main Street" } });
    const target = { client: db, installationId, locationId: location, runId, runStartedAt };

    expect(await planDeletions(target)).toEqual({
      wouldDelete: { members: 2, companies: 1, locations: 1 },
      live: { members: 4, companies: 1, locations: 1 },
      total: 4,
      liveTotal: 6,
    });
    expect(await sampleDeletions(target)).toEqual([
      { kind: "members", remoteId: al, name: "Al", email: "al@example.com" },
      { kind: "members", remoteId: bea, name: "Bea", email: "bea@example.com" },
      { kind: "companies", remoteId: company, name: "Acme", email: "hello@acme.test" },
      { kind: "locations", remoteId: location, name: "Main Street", email: null },
    ]);
  });
});
