// requestSync (lib/sync/request-sync.ts): which runs a request queues, reuses and upgrades, its errors,
// and its concurrency: the worker's per-location lock is taken before the waiting runs are read, so a run
// that starts meanwhile is never reused, and concurrent requests never queue two waiting runs for one
// location. The locks are held by a real transaction through the worker's own lockLocation.
import { afterAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { stopSender } from "@/lib/jobs/boss";
import { requestSync } from "@/lib/sync/request-sync";
import { lockLocation } from "@/lib/sync/run-claim";
import { createInstallation, createUserWithAccount, randomHex } from "./support/factories";

afterAll(stopSender);

async function installationWith(
  count: number,
  options: { allLocations?: boolean; status?: "active" | "removed" } = {},
) {
  const { account } = await createUserWithAccount();
  const locations = Array.from({ length: count }, (_, index) => ({ id: randomHex(), name: `L${index}` }));
  const fixture = await createInstallation({ accountId: account.id, locations, status: options.status });
  if (options.allLocations)
    await db.installation.update({ where: { id: fixture.installation.id }, data: { locationsKey: "" } });
  return {
    installationId: fixture.installation.id,
    locationIds: locations.map((location) => location.id).sort(),
  };
}

const waitingRuns = (installationId: string) =>
  db.syncRun.findMany({
    where: { installationId, status: "queued", startedAt: null },
    orderBy: [{ locationId: "asc" }],
    select: { id: true, locationId: true, kind: true, trigger: true },
  });

const errorCode = (promise: Promise<unknown>) =>
  promise.then(
    () => "resolved",
    (error: unknown) => (error instanceof AppError ? error.code : String(error)),
  );

/** Holds the worker's locks on these targets in a transaction until `release` is called. */
async function holdLocks(installationId: string, targets: (string | null)[]) {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let held!: () => void;
  const isHeld = new Promise<void>((resolve) => (held = resolve));
  const done = db.$transaction(
    async (tx) => {
      for (const locationId of targets) await lockLocation(tx, installationId, locationId);
      held();
      await released;
    },
    { timeout: 20_000 },
  );
  await Promise.race([isHeld, done]);
  return {
    release: async () => {
      release();
      await done;
    },
  };
}

/** Waits (bounded) until `count` sessions wait for an advisory lock; false if they never do. */
async function advisoryWaiters(count: number): Promise<boolean> {
  for (let attempt = 0; attempt < 500; attempt += 1) {
    const [row] = await db.$queryRaw<{ n: number }[]>`
      SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted`;
    if ((row?.n ?? 0) >= count) return true;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return false;
}

describe("what a request queues", () => {
  it("one waiting run per enabled location, in location order, with the trigger and kind asked", async () => {
    const { installationId, locationIds } = await installationWith(4);
    await db.installationLocation.update({
      where: { installationId_locationId: { installationId, locationId: locationIds[1]! } },
      data: { syncEnabled: false },
    });
    const enabled = locationIds.filter((_, index) => index !== 1);
    const before = new Date();
    const { runIds } = await requestSync({ installationId, trigger: "test.queue", kind: "incremental" });
    const after = new Date();
    const runs = await db.syncRun.findMany({ where: { installationId } });
    expect(runs).toHaveLength(3);
    const byId = new Map(runs.map((run) => [run.id, run]));
    expect(runIds.map((id) => byId.get(id)?.locationId)).toEqual(enabled);
    for (const run of runs) {
      expect(run).toMatchObject({
        kind: "incremental",
        trigger: "test.queue",
        status: "queued",
        startedAt: null,
        done: 0,
        checkpoint: null,
      });
      expect(run.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      // Stored in UTC like Prisma's own timestamps (the column has no time zone).
      expect(run.createdAt.getTime()).toBeGreaterThanOrEqual(before.getTime());
      expect(run.createdAt.getTime()).toBeLessThanOrEqual(after.getTime());
    }
  });

  it("an all-locations installation also gets a discovery run, last", async () => {
    const { installationId, locationIds } = await installationWith(2, { allLocations: true });
    const { runIds } = await requestSync({ installationId, trigger: "test" });
    expect(runIds).toHaveLength(3);
    const runs = await db.syncRun.findMany({ where: { id: { in: runIds } } });
    const byId = new Map(runs.map((run) => [run.id, run]));
    expect(runIds.map((id) => [byId.get(id)?.locationId, byId.get(id)?.kind])).toEqual([
      [locationIds[0], "auto"],
      [locationIds[1], "auto"],
      [null, "discover"],
    ]);
  });

  it("one location: just its run, no discovery run", async () => {
    const { installationId, locationIds } = await installationWith(3, { allLocations: true });
    const { runIds } = await requestSync({ installationId, locationId: locationIds[2], trigger: "test" });
    expect(await waitingRuns(installationId)).toEqual([
      { id: runIds[0], locationId: locationIds[2], kind: "auto", trigger: "test" },
    ]);
  });

  it("reuses the oldest waiting run, upgrades it to full when asked, and queues only what is missing", async () => {
    const { installationId, locationIds } = await installationWith(3, { allLocations: true });
    const [a, b, c] = locationIds as [string, string, string];
    const older = await db.syncRun.create({
      data: {
        installationId,
        locationId: a,
        kind: "incremental",
        trigger: "old",
        createdAt: new Date(1_000),
      },
    });
    await db.syncRun.create({
      data: { installationId, locationId: a, kind: "auto", trigger: "newer", createdAt: new Date(2_000) },
    });
    // Started runs are never reused.
    await db.syncRun.create({
      data: {
        installationId,
        locationId: b,
        kind: "auto",
        trigger: "old",
        status: "running",
        startedAt: new Date(),
      },
    });
    const first = await requestSync({ installationId, trigger: "first" });
    expect(first.runIds[0]).toBe(older.id);
    expect(await db.syncRun.findUniqueOrThrow({ where: { id: older.id } })).toMatchObject({
      kind: "incremental",
    });

    const second = await requestSync({ installationId, trigger: "second", kind: "full" });
    expect(second.runIds).toEqual(first.runIds);
    const runs = await db.syncRun.findMany({ where: { id: { in: second.runIds } } });
    const kinds = new Map(runs.map((run) => [run.locationId, [run.kind, run.trigger]]));
    expect(kinds.get(a)).toEqual(["full", "old"]);
    expect(kinds.get(b)).toEqual(["full", "first"]);
    expect(kinds.get(c)).toEqual(["full", "first"]);
    // As before issue 16: the discovery run's stored kind is upgraded too (a claim runs it as discover).
    expect(kinds.get(null)).toEqual(["full", "first"]);
    // An automatic request never downgrades a waiting full run.
    await requestSync({ installationId, trigger: "third", kind: "incremental" });
    expect((await waitingRuns(installationId)).filter((run) => run.kind === "full")).toHaveLength(4);
  });

  it("errors: unknown installation, a location it does not sync, a removed installation; nothing queued", async () => {
    const { installationId, locationIds } = await installationWith(2);
    await db.installationLocation.update({
      where: { installationId_locationId: { installationId, locationId: locationIds[0]! } },
      data: { syncEnabled: false },
    });
    expect(await errorCode(requestSync({ installationId: "missing", trigger: "test" }))).toBe("not_found");
    expect(
      await errorCode(requestSync({ installationId, locationId: locationIds[0], trigger: "test" })),
    ).toBe("not_found");
    expect(await errorCode(requestSync({ installationId, locationId: "elsewhere", trigger: "test" }))).toBe(
      "not_found",
    );
    const removed = await installationWith(2, { status: "removed" });
    expect(await errorCode(requestSync({ installationId: removed.installationId, trigger: "test" }))).toBe(
      "not_connected",
    );
    expect(
      await errorCode(
        requestSync({ installationId: removed.installationId, locationId: "elsewhere", trigger: "test" }),
      ),
    ).toBe("not_connected");
    expect(
      await db.syncRun.count({ where: { installationId: { in: [installationId, removed.installationId] } } }),
    ).toBe(0);
  });
});

describe("concurrency", () => {
  it("concurrent whole-installation requests queue one waiting run per location and agree on the ids", async () => {
    const { installationId, locationIds } = await installationWith(6, { allLocations: true });
    const targets = [...locationIds, null];
    // While a worker holds the locations, three requests (one asking for a full pass) line up behind it.
    const worker = await holdLocks(installationId, targets);
    const requests = [
      requestSync({ installationId, trigger: "a" }),
      requestSync({ installationId, trigger: "b", kind: "full" }),
      requestSync({ installationId, trigger: "c" }),
    ];
    const lined = await advisoryWaiters(3);
    await worker.release();
    const results = await Promise.all(requests);
    expect(lined).toBe(true);
    expect(results[1]!.runIds).toEqual(results[0]!.runIds);
    expect(results[2]!.runIds).toEqual(results[0]!.runIds);
    const waiting = await waitingRuns(installationId);
    expect(waiting.map((run) => run.locationId)).toEqual(targets);
    expect(new Set(waiting.map((run) => run.id))).toEqual(new Set(results[0]!.runIds));
    expect(waiting.map((run) => run.kind)).toEqual(targets.map(() => "full"));
  });

  it("many concurrent requests, whole and per location, without a lock held first: one run per location", async () => {
    const { installationId, locationIds } = await installationWith(8, { allLocations: true });
    const results = await Promise.all([
      ...Array.from({ length: 4 }, () => requestSync({ installationId, trigger: "whole" })),
      ...locationIds.map((locationId) => requestSync({ installationId, locationId, trigger: "one" })),
    ]);
    const waiting = await waitingRuns(installationId);
    expect(waiting.map((run) => run.locationId)).toEqual([...locationIds, null]);
    const ids = waiting.map((run) => run.id);
    for (const result of results.slice(0, 4)) expect(new Set(result.runIds)).toEqual(new Set(ids));
    for (const [index, result] of results.slice(4).entries()) expect(result.runIds).toEqual([ids[index]]);
  });

  it("a run a worker starts while the request waits for its lock is not reused: a new one is queued", async () => {
    const { installationId, locationIds } = await installationWith(3);
    const runOf = async (runIds: string[]) => {
      const runs = await db.syncRun.findMany({ where: { id: { in: runIds } } });
      return new Map(runs.map((run) => [run.locationId!, run.id]));
    };
    const first = await runOf((await requestSync({ installationId, trigger: "first" })).runIds);
    // The worker takes one location's lock and starts its waiting run, as claimNextRun does; it commits
    // only once the request waits for the same lock.
    const started = locationIds[1]!;
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let held!: () => void;
    const isHeld = new Promise<void>((resolve) => (held = resolve));
    const worker = db.$transaction(
      async (tx) => {
        await lockLocation(tx, installationId, started);
        await tx.syncRun.update({
          where: { id: first.get(started) },
          data: { status: "running", startedAt: new Date(), heartbeatAt: new Date() },
        });
        held();
        await released;
      },
      { timeout: 20_000 },
    );
    await isHeld;
    const request = requestSync({ installationId, trigger: "second" });
    const lined = await advisoryWaiters(1);
    release();
    await worker;
    const second = await runOf((await request).runIds);
    expect(lined).toBe(true);
    for (const locationId of locationIds)
      if (locationId === started) expect(second.get(locationId)).not.toBe(first.get(locationId));
      else expect(second.get(locationId)).toBe(first.get(locationId));
    expect(await waitingRuns(installationId)).toEqual(
      locationIds.map((locationId) => ({
        id: second.get(locationId),
        locationId,
        kind: "auto",
        trigger: locationId === started ? "second" : "first",
      })),
    );
  });
});
