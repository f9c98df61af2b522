// GET /api/officernd/sync: explicit on/off, toggling, single use of each signed URL (also under
// concurrency), the audit trail and the sync request on enabling.
import { beforeEach, describe, expect, it } from "vitest";
import { GET } from "@/app/api/officernd/sync/route";
import { db } from "@/lib/db";
import {
  createSignedFixture,
  nowSeconds,
  officeRndParams,
  signedUrl,
  type SignedFixture,
} from "./signed-helpers";

const PATH = "/api/officernd/sync";
let fixture: SignedFixture;

beforeEach(async () => {
  fixture = await createSignedFixture({ accountName: "J&J Ltd" });
});

const syncUrl = (extra: [string, string][] = [], t = nowSeconds()) =>
  signedUrl(PATH, officeRndParams(fixture, extra), fixture.secret, t);
const call = async (url: string) => {
  const response = await GET(new Request(url));
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};
const storedSyncEnabled = async () =>
  (await db.installation.findUniqueOrThrow({ where: { id: fixture.installation.id } })).syncEnabled;
const syncRuns = () => db.syncRun.findMany({ where: { installationId: fixture.installation.id } });

describe("setting the state explicitly", () => {
  it("enabled=true turns sync on, answers the state and the partner account name, and queues a sync", async () => {
    expect(await call(syncUrl([["enabled", "true"]]))).toEqual({
      status: 200,
      body: { syncEnabled: true, accountName: "J&J Ltd" },
    });
    expect(await storedSyncEnabled()).toBe(true);
    const runs = await syncRuns();
    expect(runs.length).toBeGreaterThan(0);
    expect(runs.every((run) => run.trigger === "officernd-sync-url" && run.status === "queued")).toBe(true);
  });

  it("enabled=false turns it off and queues nothing", async () => {
    await db.installation.update({ where: { id: fixture.installation.id }, data: { syncEnabled: true } });
    expect(await call(syncUrl([["enabled", "false"]]))).toMatchObject({
      status: 200,
      body: { syncEnabled: false },
    });
    expect(await storedSyncEnabled()).toBe(false);
    expect(await syncRuns()).toHaveLength(0);
  });

  it("sync=on / sync=off work like enabled=true / false", async () => {
    expect((await call(syncUrl([["sync", "on"]]))).body.syncEnabled).toBe(true);
    expect((await call(syncUrl([["sync", "off"]]))).body.syncEnabled).toBe(false);
    expect(await storedSyncEnabled()).toBe(false);
  });

  it("enabling what is already on changes nothing and queues no second sync", async () => {
    const t = nowSeconds();
    await call(syncUrl([["enabled", "true"]], t));
    // Finish the first run, so that any new request would have to queue a fresh one.
    await db.syncRun.updateMany({
      where: { installationId: fixture.installation.id },
      data: { status: "succeeded", finishedAt: new Date() },
    });
    const runsBefore = (await syncRuns()).length;
    // A different signed URL (new timestamp) with the same request.
    expect(await call(syncUrl([["enabled", "true"]], t - 1))).toMatchObject({
      status: 200,
      body: { syncEnabled: true },
    });
    expect(await syncRuns()).toHaveLength(runsBefore);
  });
});

describe("toggling", () => {
  it("without enabled/sync, each fresh signed URL flips the state", async () => {
    // Timestamps from one reading of the clock: a slow call must not make two URLs share a second (a replay).
    const t = nowSeconds();
    expect((await call(syncUrl([], t))).body.syncEnabled).toBe(true);
    expect((await call(syncUrl([], t - 1))).body.syncEnabled).toBe(false);
    expect((await call(syncUrl([], t - 2))).body.syncEnabled).toBe(true);
    expect(await storedSyncEnabled()).toBe(true);
  });
});

describe("replays", () => {
  it("the same signed URL a second time answers 200 with the current state and does not toggle again", async () => {
    const url = syncUrl();
    expect(await call(url)).toMatchObject({ status: 200, body: { syncEnabled: true } });
    expect(await call(url)).toEqual({
      status: 200,
      body: { syncEnabled: true, accountName: "J&J Ltd", replayed: true },
    });
    expect(await storedSyncEnabled()).toBe(true);
    expect(await db.usedSignature.count()).toBeGreaterThanOrEqual(1);
  });

  it("a replay reports the state changed since by another call, without reverting it", async () => {
    const first = syncUrl([["enabled", "true"]]);
    await call(first);
    await call(syncUrl([["enabled", "false"]], nowSeconds() - 1));
    expect(await call(first)).toMatchObject({ status: 200, body: { syncEnabled: false, replayed: true } });
    expect(await storedSyncEnabled()).toBe(false);
  });

  it("ten concurrent replays of one toggle URL change the state exactly once", async () => {
    const url = syncUrl();
    const results = await Promise.all(Array.from({ length: 10 }, () => call(url)));
    expect(results.every((result) => result.status === 200 && result.body.syncEnabled === true)).toBe(true);
    expect(results.filter((result) => result.body.replayed === true)).toHaveLength(9);
    expect(await storedSyncEnabled()).toBe(true);
    expect(
      await db.auditEvent.count({
        where: { installationId: fixture.installation.id, action: "installation.sync_enabled.set" },
      }),
    ).toBe(1);
  });

  it("concurrent distinct toggle URLs serialise: an even number of toggles ends where it started", async () => {
    const urls = Array.from({ length: 6 }, (_, index) => syncUrl([], nowSeconds() - index));
    const results = await Promise.all(urls.map(call));
    expect(results.every((result) => result.status === 200 && result.body.replayed === undefined)).toBe(true);
    expect(await storedSyncEnabled()).toBe(false);
  });

  it("the stored replay key expires after the signature would be stale, and is not the raw signature", async () => {
    const t = nowSeconds();
    const url = syncUrl([], t);
    const earlier = new Set((await db.usedSignature.findMany()).map((used) => used.hash));
    await call(url);
    const [row, ...more] = (await db.usedSignature.findMany()).filter((used) => !earlier.has(used.hash));
    expect(more).toHaveLength(0);
    expect(row!.expiresAt.getTime()).toBeGreaterThanOrEqual((t + 300) * 1000);
    expect(row!.expiresAt.getTime()).toBeLessThanOrEqual((t + 300 + 120) * 1000);
    const digest = decodeURIComponent(new URL(url).searchParams.get("signature")!).split("signature=")[1]!;
    expect(row!.hash).not.toContain(digest);
  });
});

describe("audit and parameters", () => {
  it("writes one audit event with the before and after state and OfficeRnD's memberId", async () => {
    await call(
      syncUrl([
        ["memberId", "member-7"],
        ["enabled", "true"],
      ]),
    );
    const events = await db.auditEvent.findMany({ where: { installationId: fixture.installation.id } });
    expect(events).toEqual([
      expect.objectContaining({
        accountId: fixture.account.id,
        actor: `officernd-admin:${fixture.installation.id}`,
        action: "installation.sync_enabled.set",
        before: { syncEnabled: false },
        after: expect.objectContaining({
          syncEnabled: true,
          intent: "set",
          trigger: "officernd-sync-url",
          memberId: "member-7",
        }),
      }),
    ]);
  });

  it("accepts organizationId wrapped in literal quotes, as OfficeRnD sends it on Sync (verified on the raw value)", async () => {
    const params: [string, string][] = [
      ["slug", fixture.installation.orgSlug],
      ["locations", fixture.locations.map((location) => location.id).join(",")],
      ["organizationId", `"${fixture.orgId}"`],
      ["enabled", "true"],
    ];
    expect(await call(signedUrl(PATH, params, fixture.secret))).toMatchObject({
      status: 200,
      body: { syncEnabled: true },
    });
  });

  it("picks the right installation among several in one organisation by the secret that verifies", async () => {
    const sibling = await createSignedFixture({
      orgSlug: fixture.installation.orgSlug,
      accountName: "Sibling Ltd",
    });
    const response = await call(
      signedUrl(PATH, officeRndParams(sibling, [["enabled", "true"]]), sibling.secret),
    );
    expect(response).toMatchObject({ status: 200, body: { syncEnabled: true, accountName: "Sibling Ltd" } });
    expect(await storedSyncEnabled()).toBe(false);
  });

  it("accepts spaces around the commas in locations and any order of the ids", async () => {
    const twoLocations = await createSignedFixture({
      locations: [
        { id: "loc-1", name: "One" },
        { id: "loc-2", name: "Two" },
      ],
    });
    const url = signedUrl(
      PATH,
      officeRndParams(twoLocations, [["enabled", "true"]], "loc-2, loc-1"),
      twoLocations.secret,
    );
    expect(await call(url)).toMatchObject({ status: 200, body: { syncEnabled: true } });
  });

  it('an all-locations installation (locationsKey "") accepts locations=""', async () => {
    const all = await createSignedFixture({ locations: [] });
    expect(all.installation.locationsKey).toBe("");
    expect(
      await call(signedUrl(PATH, officeRndParams(all, [["enabled", "true"]], ""), all.secret)),
    ).toMatchObject({ status: 200 });
  });

  it("works for an installation that needs reconnecting (the preference is kept for later)", async () => {
    await db.installation.update({
      where: { id: fixture.installation.id },
      data: { status: "reconnect_required" },
    });
    expect(await call(syncUrl([["enabled", "true"]]))).toMatchObject({
      status: 200,
      body: { syncEnabled: true },
    });
  });
});
