// The configuration page's server actions and progress route: every action refuses (403 "forbidden")
// credentials that do not cover the installation it names, and changes nothing; allowed changes are
// validated, saved and audited. Sync requests go through the real requestSync: queued runs in our table
// and jobs in pg-boss's, in the test database.
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { createConfigureSession } from "@/lib/auth/configure-session";
import type { SessionUser } from "@/lib/auth/session";
import { db } from "@/lib/db";
import { getSender, stopSender } from "@/lib/jobs/boss";
import { QUEUES } from "@/lib/jobs/queues";
import { createInstallation, createUserWithAccount } from "./support/factories";

// The request as Next would present it: the configure-session cookie and the signed-in partner user.
const request = vi.hoisted(() => ({
  cookies: new Map<string, string>(),
  headers: new Headers(),
  user: null as SessionUser | null,
}));
vi.mock("next/headers", () => ({
  cookies: async () => ({
    get: (name: string) =>
      request.cookies.has(name) ? { name, value: request.cookies.get(name) } : undefined,
  }),
  headers: async () => request.headers,
}));
vi.mock("@/lib/auth/session", () => ({ getSessionUser: async () => request.user }));
vi.mock("next/cache", () => ({ refresh: vi.fn() }));

// pg-boss creates its tables on its first start: started here, so "no job" can be asked before any send.
beforeAll(async () => {
  await getSender();
});
afterAll(stopSender);

/**
 * The sync-location jobs waiting in pg-boss for one installation: the locations a worker was asked to sync.
 */
async function syncJobsFor(installationId: string): Promise<(string | null)[]> {
  const rows = await db.$queryRawUnsafe<{ data: { installationId: string; locationId: string | null } }[]>(
    `SELECT data FROM pgboss.job WHERE name = $1 AND state = 'created' AND data->>'installationId' = $2`,
    QUEUES.syncLocation,
    installationId,
  );
  return rows.map((row) => row.data.locationId);
}

/** The runs waiting to start for one installation, oldest first. */
const queuedRuns = (installationId: string) =>
  db.syncRun.findMany({
    where: { installationId, status: "queued" },
    orderBy: { createdAt: "asc" },
    select: { id: true, locationId: true, kind: true, trigger: true },
  });

const { saveLocationSettings, syncLocationNow, disconnect } =
  await import("@/app/configure/[installationId]/actions");
const progressRoute = await import("@/app/api/installations/[installationId]/progress/route");

const LOCATIONS = [
  { id: "665f00000000000000000001", name: "Downtown" },
  { id: "665f00000000000000000002", name: "Harbour" },
];

function validSettings(overrides: Record<string, string | string[] | null> = {}): FormData {
  const fields: Record<string, string | string[] | null> = {
    syncEnabled: "on",
    syncMembers: "on",
    syncCompanies: "on",
    memberStatuses: ["active", "former"],
    "member.name": "name",
    "member.email": "email",
    "member.company": "company.name",
    "member.tags": "tags",
    "member.properties": "plan=membershipPlan",
    "company.name": "name",
    "company.email": "email",
    "company.tags": "none",
    "company.properties": "",
    ...overrides,
  };
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) {
    if (value === null) continue;
    for (const item of Array.isArray(value) ? value : [value]) form.append(name, item);
  }
  return form;
}

function confirmed(): FormData {
  const form = new FormData();
  form.set("confirm", "on");
  return form;
}

/** Everything an action could change for an installation. */
async function snapshot(installationId: string) {
  const [installation, locations, runs, audits, sessions] = await Promise.all([
    db.installation.findUnique({ where: { id: installationId } }),
    db.installationLocation.findMany({ where: { installationId }, orderBy: { locationId: "asc" } }),
    db.syncRun.count({ where: { installationId } }),
    db.auditEvent.count({ where: { installationId } }),
    db.configureSession.count({ where: { installationId } }),
  ]);
  return { installation, locations, runs, audits, sessions };
}

let ownA: Awaited<ReturnType<typeof createInstallation>>;
let otherB: Awaited<ReturnType<typeof createInstallation>>;
let accountA: string;

beforeEach(async () => {
  request.cookies.clear();
  request.headers = new Headers();
  request.user = null;
  const a = await createUserWithAccount({ accountName: "Account A" });
  const b = await createUserWithAccount({ accountName: "Account B" });
  accountA = a.account.id;
  ownA = await createInstallation({ accountId: a.account.id, locations: LOCATIONS });
  otherB = await createInstallation({ accountId: b.account.id, locations: LOCATIONS });
});

async function openConfigurationOf(installationId: string): Promise<void> {
  request.cookies.set("configure-session", (await createConfigureSession(installationId)).token);
}

/** Every action of the page, aimed at one installation (and its first location). */
const ACTIONS = {
  saveLocationSettings: (installationId: string) =>
    saveLocationSettings(installationId, LOCATIONS[0]!.id, null, validSettings()),
  syncLocationNow: (installationId: string) =>
    syncLocationNow(installationId, LOCATIONS[0]!.id, null, new FormData()),
  disconnect: (installationId: string) => disconnect(installationId, null, confirmed()),
};

describe("acting on another installation", () => {
  it.each(Object.keys(ACTIONS) as (keyof typeof ACTIONS)[])(
    "%s with a configure session for another installation answers forbidden and changes nothing",
    async (name) => {
      await openConfigurationOf(ownA.installation.id);
      // Sync must be on for "Sync now" to be allowed at all, so a refusal can only come from access.
      await db.installation.update({ where: { id: otherB.installation.id }, data: { syncEnabled: true } });
      const before = await snapshot(otherB.installation.id);
      const result = await ACTIONS[name](otherB.installation.id);
      expect(result).toMatchObject({ ok: false, code: "forbidden" });
      expect(await snapshot(otherB.installation.id)).toEqual(before);
      expect(await syncJobsFor(otherB.installation.id)).toEqual([]);
    },
  );

  it.each(Object.keys(ACTIONS) as (keyof typeof ACTIONS)[])(
    "%s without any session answers unauthorized and changes nothing",
    async (name) => {
      const before = await snapshot(ownA.installation.id);
      expect(await ACTIONS[name](ownA.installation.id)).toMatchObject({ ok: false, code: "unauthorized" });
      expect(await snapshot(ownA.installation.id)).toEqual(before);
    },
  );

  it.each(Object.keys(ACTIONS) as (keyof typeof ACTIONS)[])(
    "%s by a partner user of another account answers forbidden and changes nothing",
    async (name) => {
      const outsider = await createUserWithAccount({ role: "owner" });
      request.user = { id: outsider.user.id, email: outsider.user.email, name: outsider.user.name };
      const before = await snapshot(ownA.installation.id);
      expect(await ACTIONS[name](ownA.installation.id)).toMatchObject({ ok: false, code: "forbidden" });
      expect(await snapshot(ownA.installation.id)).toEqual(before);
    },
  );

  it.each(Object.keys(ACTIONS) as (keyof typeof ACTIONS)[])(
    "%s by a read-only member of the account answers forbidden and changes nothing",
    async (name) => {
      const member = await db.user.create({
        data: { email: `member-${Date.now()}@example.com`, name: "Member", passwordHash: "x" },
      });
      await db.accountMember.create({ data: { accountId: accountA, userId: member.id, role: "member" } });
      request.user = { id: member.id, email: member.email, name: member.name };
      await db.installation.update({ where: { id: ownA.installation.id }, data: { syncEnabled: true } });
      const before = await snapshot(ownA.installation.id);
      expect(await ACTIONS[name](ownA.installation.id)).toMatchObject({ ok: false, code: "forbidden" });
      expect(await snapshot(ownA.installation.id)).toEqual(before);
    },
  );

  it("refuses a made-up installation id like any other installation", async () => {
    await openConfigurationOf(ownA.installation.id);
    expect(await ACTIONS.saveLocationSettings("not-an-installation")).toMatchObject({
      ok: false,
      code: "forbidden",
    });
    expect(await ACTIONS.saveLocationSettings("00000000-0000-4000-8000-00000000dead")).toMatchObject({
      ok: false,
      code: "forbidden",
    });
  });

  it("refuses a location of another installation named through one's own installation", async () => {
    await openConfigurationOf(ownA.installation.id);
    const before = await snapshot(ownA.installation.id);
    const result = await saveLocationSettings(
      ownA.installation.id,
      "665f0000000000000000ffff",
      null,
      validSettings(),
    );
    expect(result).toMatchObject({ ok: false, code: "not_found" });
    expect(await snapshot(ownA.installation.id)).toEqual(before);
  });
});

describe("GET /api/installations/<id>/progress", () => {
  const get = (installationId: string) =>
    progressRoute.GET(
      new Request(
        `http://localhost/api/installations/${installationId}/progress?locationId=${LOCATIONS[0]!.id}`,
      ),
      {
        params: Promise.resolve({ installationId }),
      },
    );

  it("answers 403 for a session of another installation, and the run for one's own", async () => {
    await db.syncRun.create({
      data: {
        installationId: otherB.installation.id,
        locationId: LOCATIONS[0]!.id,
        kind: "full",
        trigger: "test",
        status: "running",
        done: 5,
        total: 10,
      },
    });
    await db.syncRun.create({
      data: {
        installationId: ownA.installation.id,
        locationId: LOCATIONS[0]!.id,
        kind: "full",
        trigger: "test",
        status: "running",
        done: 3,
        total: 4,
      },
    });
    await openConfigurationOf(ownA.installation.id);
    const refused = await get(otherB.installation.id);
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ error: "forbidden" });
    const own = await get(ownA.installation.id);
    expect(own.status).toBe(200);
    expect(await own.json()).toMatchObject({
      progress: { status: "running", done: 3, total: 4, percent: 75 },
    });
  });

  it("answers 401 without a session", async () => {
    expect((await get(ownA.installation.id)).status).toBe(401);
  });
});

describe("allowed changes", () => {
  beforeEach(() => openConfigurationOf(ownA.installation.id));

  it("turning one location on turns the installation on, keeps the other location off, queues a sync and audits before/after", async () => {
    const result = await saveLocationSettings(ownA.installation.id, LOCATIONS[0]!.id, null, validSettings());
    expect(result).toEqual({ ok: true, data: { changed: true, syncQueued: true } });

    const state = await snapshot(ownA.installation.id);
    expect(state.installation?.syncEnabled).toBe(true);
    const [first, second] = state.locations;
    expect(first).toMatchObject({ locationId: LOCATIONS[0]!.id, syncEnabled: true });
    expect(first!.settings).toMatchObject({
      syncMembers: true,
      syncCompanies: true,
      memberStatuses: ["active", "former"],
      fieldMapping: {
        member: { properties: [{ from: "plan", to: "membershipPlan" }] },
        company: { tags: "none" },
      },
    });
    // It was off in effect (installation off) and still is.
    expect(second).toMatchObject({ locationId: LOCATIONS[1]!.id, syncEnabled: false });
    // Sync was off: the first run may be incremental ("auto"), and a worker is asked for that location.
    expect(await queuedRuns(ownA.installation.id)).toEqual([
      {
        id: expect.any(String),
        locationId: LOCATIONS[0]!.id,
        kind: "auto",
        trigger: "configure.sync_enabled",
      },
    ]);
    expect(await syncJobsFor(ownA.installation.id)).toEqual([LOCATIONS[0]!.id]);

    const audit = await db.auditEvent.findFirstOrThrow({
      where: { installationId: ownA.installation.id, action: "location.settings.updated" },
    });
    expect(audit.actor).toBe(`officernd-admin:${ownA.installation.id}`);
    expect(audit.before).toMatchObject({
      locationId: LOCATIONS[0]!.id,
      syncEnabled: false,
      settings: { memberStatuses: ["active"] },
    });
    expect(audit.after).toMatchObject({
      syncEnabled: true,
      locationsSwitchedOff: [LOCATIONS[1]!.id],
      settings: { memberStatuses: ["active", "former"] },
    });
  });

  // The rule "settings changed while syncing → full pass" (lib/configuration/update-location-settings.ts):
  // an incremental pass would miss the records of newly chosen statuses.
  it("changing the settings of a location that already syncs queues a full pass", async () => {
    await saveLocationSettings(ownA.installation.id, LOCATIONS[0]!.id, null, validSettings());
    await db.syncRun.updateMany({
      where: { installationId: ownA.installation.id },
      data: { status: "succeeded", startedAt: new Date(), finishedAt: new Date() },
    });

    const result = await saveLocationSettings(
      ownA.installation.id,
      LOCATIONS[0]!.id,
      null,
      validSettings({ memberStatuses: ["active", "former", "pending"] }),
    );

    expect(result).toEqual({ ok: true, data: { changed: true, syncQueued: true } });
    expect(await queuedRuns(ownA.installation.id)).toEqual([
      {
        id: expect.any(String),
        locationId: LOCATIONS[0]!.id,
        kind: "full",
        trigger: "configure.settings_changed",
      },
    ]);
    expect(await syncJobsFor(ownA.installation.id)).toEqual([LOCATIONS[0]!.id]);
  });

  it("changing the settings while an automatic run waits makes that run a full pass instead of queuing a second", async () => {
    await saveLocationSettings(ownA.installation.id, LOCATIONS[0]!.id, null, validSettings());
    const [waiting] = await queuedRuns(ownA.installation.id);
    expect(waiting).toMatchObject({ kind: "auto" });

    await saveLocationSettings(
      ownA.installation.id,
      LOCATIONS[0]!.id,
      null,
      validSettings({ memberStatuses: ["active"] }),
    );

    expect(await queuedRuns(ownA.installation.id)).toEqual([{ ...waiting, kind: "full" }]);
    expect(await syncJobsFor(ownA.installation.id)).toEqual([LOCATIONS[0]!.id]);
  });

  it("changing the settings while a run is under way queues a full pass after it and leaves the running one alone", async () => {
    await saveLocationSettings(ownA.installation.id, LOCATIONS[0]!.id, null, validSettings());
    await db.syncRun.updateMany({
      where: { installationId: ownA.installation.id },
      data: { status: "running", startedAt: new Date() },
    });
    const [running] = await db.syncRun.findMany({ where: { installationId: ownA.installation.id } });

    await saveLocationSettings(
      ownA.installation.id,
      LOCATIONS[0]!.id,
      null,
      validSettings({ syncCompanies: null }),
    );

    expect(await db.syncRun.findUniqueOrThrow({ where: { id: running!.id } })).toMatchObject({
      status: "running",
      kind: "auto",
    });
    expect(await queuedRuns(ownA.installation.id)).toEqual([
      {
        id: expect.any(String),
        locationId: LOCATIONS[0]!.id,
        kind: "full",
        trigger: "configure.settings_changed",
      },
    ]);
  });

  it("a mapping-only change while syncing re-maps and queues no run", async () => {
    await saveLocationSettings(ownA.installation.id, LOCATIONS[0]!.id, null, validSettings());
    await db.syncRun.updateMany({
      where: { installationId: ownA.installation.id },
      data: { status: "succeeded", startedAt: new Date(), finishedAt: new Date() },
    });

    const result = await saveLocationSettings(
      ownA.installation.id,
      LOCATIONS[0]!.id,
      null,
      validSettings({ "member.tags": "none" }),
    );

    expect(result).toMatchObject({ ok: true, data: { changed: true, syncQueued: false } });
    expect(await queuedRuns(ownA.installation.id)).toEqual([]);
  });

  it("saving the same settings again changes nothing and records no audit event", async () => {
    await saveLocationSettings(ownA.installation.id, LOCATIONS[0]!.id, null, validSettings());
    const audits = await db.auditEvent.count({ where: { installationId: ownA.installation.id } });
    expect(await saveLocationSettings(ownA.installation.id, LOCATIONS[0]!.id, null, validSettings())).toEqual(
      {
        ok: true,
        data: { changed: false, syncQueued: false },
      },
    );
    expect(await db.auditEvent.count({ where: { installationId: ownA.installation.id } })).toBe(audits);
  });

  it.each([
    [{ memberStatuses: null }, "memberStatuses"],
    [{ syncMembers: null, syncCompanies: null }, "syncMembers"],
    [{ "member.name": "password" }, "member.name"],
    [{ "member.properties": "not a key!" }, "member.properties"],
    [{ "company.properties": "a=b\nc=b" }, "company.properties"],
    [{ memberStatuses: ["active", "superuser"] }, "memberStatuses.1"],
  ])("invalid input %o is reported on %s and nothing is saved", async (overrides, field) => {
    const before = await snapshot(ownA.installation.id);
    const result = await saveLocationSettings(
      ownA.installation.id,
      LOCATIONS[0]!.id,
      null,
      validSettings(overrides),
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.code).toBe("bad_request");
    expect(Object.keys(result.fieldErrors)).toContain(field);
    expect(await snapshot(ownA.installation.id)).toEqual(before);
  });

  it("Sync now queues one run for the location and audits it; a second click while it waits queues nothing", async () => {
    await saveLocationSettings(ownA.installation.id, LOCATIONS[0]!.id, null, validSettings());
    await db.syncRun.updateMany({
      where: { installationId: ownA.installation.id },
      data: { status: "succeeded" },
    });
    const first = await syncLocationNow(ownA.installation.id, LOCATIONS[0]!.id, null, new FormData());
    expect(first).toMatchObject({ ok: true, data: { alreadyRunning: false } });
    const second = await syncLocationNow(ownA.installation.id, LOCATIONS[0]!.id, null, new FormData());
    expect(second).toMatchObject({
      ok: true,
      data: { alreadyRunning: true, runId: first.ok ? first.data.runId : "" },
    });
    expect(
      await db.auditEvent.count({
        where: { installationId: ownA.installation.id, action: "sync.requested" },
      }),
    ).toBe(1);
  });

  it("Sync now is refused while the location's sync is off", async () => {
    expect(await syncLocationNow(ownA.installation.id, LOCATIONS[1]!.id, null, new FormData())).toMatchObject(
      { ok: false, code: "conflict" },
    );
  });

  it("disconnect needs the confirmation, then removes the installation, deletes the tokens, cancels syncs and audits", async () => {
    await db.syncRun.create({
      data: {
        installationId: ownA.installation.id,
        locationId: LOCATIONS[0]!.id,
        kind: "full",
        trigger: "test",
        status: "running",
      },
    });
    const unconfirmed = await disconnect(ownA.installation.id, null, new FormData());
    expect(unconfirmed).toMatchObject({
      ok: false,
      code: "bad_request",
      fieldErrors: { confirm: [expect.any(String)] },
    });
    expect((await db.installation.findUniqueOrThrow({ where: { id: ownA.installation.id } })).status).toBe(
      "active",
    );

    const result = await disconnect(ownA.installation.id, null, confirmed());
    expect(result).toMatchObject({
      ok: true,
      data: { returnUrl: "http://localhost:4010/connect/external-integration/return", cancelledRuns: 1 },
    });
    const installation = await db.installation.findUniqueOrThrow({ where: { id: ownA.installation.id } });
    expect(installation).toMatchObject({
      status: "removed",
      syncEnabled: false,
      accessTokenEnc: null,
      refreshTokenEnc: null,
    });
    expect(
      await db.syncRun.count({
        where: { installationId: ownA.installation.id, status: { in: ["queued", "running"] } },
      }),
    ).toBe(0);
    const audit = await db.auditEvent.findFirstOrThrow({
      where: { installationId: ownA.installation.id, action: "installation.removed" },
    });
    expect(audit.actor).toBe(`officernd-admin:${ownA.installation.id}`);

    // A disconnected installation takes no further changes.
    expect(await ACTIONS.saveLocationSettings(ownA.installation.id)).toMatchObject({
      ok: false,
      code: "conflict",
    });
  });

  it("an owner signed in as a partner user may change settings, audited under their user id", async () => {
    request.cookies.clear();
    const owner = await db.accountMember.findFirstOrThrow({
      where: { accountId: accountA },
      include: { user: true },
    });
    request.user = { id: owner.user.id, email: owner.user.email, name: owner.user.name };
    expect(await ACTIONS.saveLocationSettings(ownA.installation.id)).toMatchObject({ ok: true });
    const audit = await db.auditEvent.findFirstOrThrow({
      where: { installationId: ownA.installation.id, action: "location.settings.updated" },
    });
    expect(audit.actor).toBe(`user:${owner.user.id}`);
  });
});

describe("who acts when the browser holds both OfficeRnD's launch session and a partner sign-in (issue 17 item 14)", () => {
  async function signInAs(role: "owner" | "member") {
    const owner = await db.accountMember.findFirstOrThrow({
      where: { accountId: accountA },
      include: { user: true },
    });
    if (role === "member")
      await db.accountMember.update({
        where: { accountId_userId: { accountId: accountA, userId: owner.userId } },
        data: { role: "member" },
      });
    request.user = { id: owner.user.id, email: owner.user.email, name: owner.user.name };
    return owner.user.id;
  }
  const lastSettingsActor = async () =>
    (
      await db.auditEvent.findFirstOrThrow({
        where: { installationId: ownA.installation.id, action: "location.settings.updated" },
        orderBy: { createdAt: "desc" },
      })
    ).actor;

  it("opened from OfficeRnD (no as=partner): the OfficeRnD admin; opened from the dashboard (as=partner): the signed-in user", async () => {
    await openConfigurationOf(ownA.installation.id);
    const userId = await signInAs("owner");

    expect(await ACTIONS.saveLocationSettings(ownA.installation.id)).toMatchObject({ ok: true });
    expect(await lastSettingsActor()).toBe(`officernd-admin:${ownA.installation.id}`);

    request.headers = new Headers({ "x-configure-as": "partner" });
    const form = validSettings({ memberStatuses: ["active"] });
    form.set("confirmRemovals", "999999");
    expect(await saveLocationSettings(ownA.installation.id, LOCATIONS[0]!.id, null, form)).toMatchObject({
      ok: true,
    });
    expect(await lastSettingsActor()).toBe(`user:${userId}`);
  });

  it("as=partner without a partner sign-in, or with a role that may only read, leaves the OfficeRnD admin acting", async () => {
    await openConfigurationOf(ownA.installation.id);
    request.headers = new Headers({ "x-configure-as": "partner" });
    expect(await ACTIONS.saveLocationSettings(ownA.installation.id)).toMatchObject({ ok: true });
    expect(await lastSettingsActor()).toBe(`officernd-admin:${ownA.installation.id}`);

    await signInAs("member");
    const form = validSettings({ memberStatuses: ["active"] });
    form.set("confirmRemovals", "999999");
    expect(await saveLocationSettings(ownA.installation.id, LOCATIONS[0]!.id, null, form)).toMatchObject({
      ok: true,
    });
    expect(await lastSettingsActor()).toBe(`officernd-admin:${ownA.installation.id}`);
  });

  it("as=partner for a signed-in user of another account, without OfficeRnD's session, is refused and changes nothing", async () => {
    const stranger = await db.accountMember.findFirstOrThrow({
      where: { accountId: { not: accountA } },
      include: { user: true },
    });
    request.user = { id: stranger.user.id, email: stranger.user.email, name: stranger.user.name };
    request.headers = new Headers({ "x-configure-as": "partner" });
    const before = await snapshot(ownA.installation.id);
    expect(await ACTIONS.saveLocationSettings(ownA.installation.id)).toMatchObject({
      ok: false,
      code: "forbidden",
    });
    expect(await snapshot(ownA.installation.id)).toEqual(before);
  });
});
