// Scale-out, proven (issue 16 §4): two `next start` instances and two workers against one PostgreSQL
// and the emulator. Connect goes through instance A; OfficeRnD's signed calls and webhooks go to B; the
// syncs of ten locations are spread over both workers; one worker is SIGKILLed in the middle of a run
// and the other finishes that run from its checkpoint; the copy then equals the emulator record for
// record, and the rows show that no location was ever synced by two workers at once.
import { expect, test } from "@playwright/test";
import { DEMO_LOGIN } from "../support/ports";
import {
  CookieJar,
  EMULATOR,
  INSTANCE_A,
  INSTANCE_B,
  onInstance,
  PUBLIC_URL,
  startCluster,
  type Cluster,
} from "./cluster";

const ORG = "acme-coworking";
const LOCATIONS = 10;
/**
 * 1,000 members per location: 17 pages of active members each, so a run is still going when the worker dies.
 */
const MEMBERS = LOCATIONS * 1_000;
const COMPANIES = 200;
/** A run has written at least one page of members: its location, its companies, then 50 members. */
const PAST_FIRST_MEMBERS_PAGE = 1 + COMPANIES / LOCATIONS + 50;
const SECOND_DEMO_ACCOUNT = "00000000-0000-4000-8000-000000000002";
/** lib/sync/run-claim.ts STALE_HEARTBEAT_MS: a run is taken over only once its heartbeat is this old. */
const STALE_HEARTBEAT_SECONDS = 60;

type Doc = { _id: string; location?: string | null; status?: string | null } & Record<string, unknown>;
type Run = {
  id: string;
  locationId: string | null;
  status: string;
  workerId: string | null;
  done: number;
  phase: string | null;
  created: number;
  updated: number;
  unchanged: number;
  deleted: number;
  checkpoint: { attempts?: number } | null;
};

let cluster: Cluster;

async function control<T>(
  route: string,
  body?: unknown,
  method = body === undefined ? "GET" : "POST",
): Promise<T> {
  const response = await fetch(`${EMULATOR}/_emulator${route}`, {
    method,
    headers: { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok)
    throw new Error(`emulator ${method} ${route} → ${response.status}: ${await response.text()}`);
  return (await response.json()) as T;
}

async function snapshot(kind: "members" | "companies" | "locations"): Promise<Doc[]> {
  const response = await fetch(`${EMULATOR}/_emulator/data/${ORG}?kind=${kind}`);
  return (await response.text())
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => JSON.parse(line) as Doc);
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, sortKeys((value as Record<string, unknown>)[key])]),
  );
}

/**
 * Every difference between our live copy and the emulator's records (active members, all companies, the
 * locations).
 */
async function diffCopy(installationId: string, locationIds: string[]): Promise<string[]> {
  const inScope = (doc: Doc) => typeof doc.location === "string" && locationIds.includes(doc.location);
  const expected = {
    locations: (await snapshot("locations")).filter((doc) => locationIds.includes(doc._id)),
    companies: (await snapshot("companies")).filter(inScope),
    members: (await snapshot("members")).filter((doc) => inScope(doc) && doc.status === "active"),
  };
  const tables = { locations: "SyncedLocation", companies: "Company", members: "Member" } as const;
  const differences: string[] = [];
  for (const kind of ["locations", "companies", "members"] as const) {
    const rows = await cluster.sql<{ remoteId: string; data: unknown }>(
      `SELECT "remoteId", data FROM "${tables[kind]}" WHERE "installationId" = $1 AND "deletedAt" IS NULL`,
      [installationId],
    );
    const ours = new Map(rows.map((row) => [row.remoteId, row.data]));
    for (const doc of expected[kind]) {
      const row = ours.get(doc._id);
      if (row === undefined) differences.push(`${kind} ${doc._id} missing`);
      else if (JSON.stringify(sortKeys(row)) !== JSON.stringify(sortKeys(doc)))
        differences.push(`${kind} ${doc._id} different`);
      ours.delete(doc._id);
    }
    for (const id of ours.keys()) differences.push(`${kind} ${id} extra`);
  }
  return differences;
}

const runs = (installationId: string) =>
  cluster.sql<Run>(
    `SELECT id, "locationId", status, "workerId", done, phase, created, updated, unchanged, deleted, checkpoint FROM "SyncRun" WHERE "installationId" = $1`,
    [installationId],
  );

/** Locations with more than one run marked running at the same moment (one statement, one snapshot). */
const doublyRunning = (installationId: string) =>
  cluster.sql<{ locationId: string | null; runs: number }>(
    `SELECT "locationId", count(*)::int AS runs FROM "SyncRun" WHERE "installationId" = $1 AND status = 'running'
      GROUP BY "locationId" HAVING count(*) > 1`,
    [installationId],
  );

test.beforeAll(async () => {
  test.setTimeout(240_000);
  cluster = await startCluster({
    emulatorArgs: [
      "--locations",
      String(LOCATIONS),
      "--members",
      String(MEMBERS),
      "--companies",
      String(COMPANIES),
      "--token-rate-limit",
      "0",
      "--read-rate-limit",
      "0",
      "--write-rate-limit",
      "0",
    ],
  });
});

test.afterAll(async () => {
  await cluster?.stop();
});

test("two instances and two workers on one Postgres: Connect on A, OfficeRnD on B, a killed worker's run finished by the other from its checkpoint", async () => {
  test.setTimeout(480_000);
  const [first, second] = cluster.workers;
  const workerIds = [first.id()!, second.id()!];
  expect(new Set(workerIds).size).toBe(2);

  // ── Connect through instance A (the popup's requests, over HTTP) ──
  const integration = await control<{ _id: string }>("/integrations", { org: ORG });
  const { connectUrl } = await control<{ connectUrl: string }>("/authorization-codes", {
    integrationId: integration._id,
  });
  expect(new URL(connectUrl).origin).toBe(PUBLIC_URL);
  const browser = new CookieJar();
  const opened = await browser.fetch(onInstance(INSTANCE_A, connectUrl));
  expect(opened.status).toBe(303);
  const popup = opened.headers.get("location")!;
  const pendingId = /\/connect\/([0-9a-f-]{36})$/.exec(popup)?.[1];
  expect(pendingId, popup).toBeTruthy();

  const { csrfToken } = (await (await browser.fetch(`${INSTANCE_A}/api/auth/csrf`)).json()) as {
    csrfToken: string;
  };
  const signedIn = await browser.fetch(`${INSTANCE_A}/api/auth/callback/credentials`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", origin: PUBLIC_URL },
    body: new URLSearchParams({
      csrfToken,
      email: DEMO_LOGIN.email,
      password: DEMO_LOGIN.password,
      callbackUrl: popup,
      json: "true",
    }),
  });
  expect(signedIn.status, await signedIn.clone().text()).toBeLessThan(400);
  expect(browser.header()).toContain("next-auth.session-token=");

  const page = await browser.fetch(onInstance(INSTANCE_A, popup));
  expect(page.status).toBe(200);
  expect(await page.text()).toContain("Second Demo Account");
  const completed = await browser.fetch(`${INSTANCE_A}/connect/${pendingId}/complete`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", origin: PUBLIC_URL },
    body: new URLSearchParams({ intent: "connect", accountId: SECOND_DEMO_ACCOUNT }),
  });
  expect(completed.status).toBe(302);
  expect(completed.headers.get("location")).toBe(`${EMULATOR}/connect/external-integration/return`);
  // No sticky sessions: the session A issued is good on B (same NEXTAUTH_SECRET, nothing kept in memory).
  const dashboardOnB = await browser.fetch(`${INSTANCE_B}/dashboard`);
  expect(dashboardOnB.status).toBe(200);

  const [installation] = await cluster.sql<{ id: string; status: string }>(
    `SELECT id, status FROM "Installation" WHERE "integrationId" = $1`,
    [integration._id],
  );
  expect(installation?.status).toBe("active");
  const installationId = installation!.id;
  const locationIds = (
    await cluster.sql<{ locationId: string }>(
      `SELECT "locationId" FROM "InstallationLocation" WHERE "installationId" = $1`,
      [installationId],
    )
  ).map((row) => row.locationId);
  expect(locationIds).toHaveLength(LOCATIONS);
  const subscriptions = await cluster.sql<{ url: string }>(
    `SELECT url FROM "WebhookSubscription" WHERE "installationId" = $1`,
    [installationId],
  );
  expect(subscriptions.map((row) => new URL(row.url).origin)).toEqual([PUBLIC_URL]);

  // ── OfficeRnD's signed calls land on instance B ──
  // Members pages answer slowly, so every run spans many seconds of pages (a kill lands mid-run).
  await control("/faults", { path: "/api/**/members", method: "GET", latencyMs: 250 });
  type SignedCall = { url: string; status: number | null; body: Record<string, unknown> };
  const health = await control<SignedCall>("/signed-call", {
    integrationId: integration._id,
    target: "healthcheck",
  });
  expect(new URL(health.url).origin).toBe(INSTANCE_B);
  expect(health).toMatchObject({ status: 200, body: { accountName: "Second Demo Account" } });
  const syncOn = await control<SignedCall>("/signed-call", {
    integrationId: integration._id,
    target: "sync",
    enabled: true,
  });
  expect(new URL(syncOn.url).origin).toBe(INSTANCE_B);
  expect(syncOn).toMatchObject({ status: 200, body: { syncEnabled: true } });

  // ── Both workers take runs; one is killed while it holds a run in the middle of its members ──
  const overlaps: unknown[] = [];
  let victimRun: Run | undefined;
  await expect
    .poll(
      async () => {
        overlaps.push(...(await doublyRunning(installationId)));
        const running = (await runs(installationId)).filter(
          (run) => run.status === "running" && run.locationId !== null,
        );
        const holders = new Set(running.map((run) => run.workerId));
        victimRun = running.find((run) => run.phase === "members" && run.done >= PAST_FIRST_MEMBERS_PAGE);
        return holders.size === 2 && victimRun !== undefined;
      },
      { timeout: 120_000, intervals: [200] },
    )
    .toBe(true);
  const victim = cluster.workers.find((worker) => worker.id() === victimRun!.workerId)!;
  const survivor = cluster.workers.find((worker) => worker !== victim)!;
  const exited = new Promise((resolve) =>
    victim.child.exitCode !== null ? resolve(null) : victim.child.once("exit", resolve),
  );
  victim.kill(); // SIGKILL to the worker's process group: no release, no goodbye
  await exited;
  const orphaned = (await runs(installationId)).filter(
    (run) => run.status === "running" && run.workerId === victim.id() && run.locationId !== null,
  );
  expect(orphaned.map((run) => run.id)).toContain(victimRun!.id);
  const lastBeats = new Map(
    (
      await cluster.sql<{ id: string; heartbeatAt: string }>(
        `SELECT id, "heartbeatAt"::text AS "heartbeatAt" FROM "SyncRun" WHERE id = ANY($1)`,
        [orphaned.map((run) => run.id)],
      )
    ).map((row) => [row.id, row.heartbeatAt]),
  );

  // ── The survivor finishes everything, the orphaned runs from their checkpoints ──
  await expect
    .poll(
      async () => {
        overlaps.push(...(await doublyRunning(installationId)));
        return (await runs(installationId)).filter(
          (run) => run.status === "queued" || run.status === "running",
        ).length;
      },
      { timeout: 300_000, intervals: [500] },
    )
    .toBe(0);
  expect(overlaps, "a location had two runs marked running at once").toEqual([]);

  const finished = await runs(installationId);
  const locationRuns = finished.filter((run) => run.locationId !== null);
  expect(locationRuns.map((run) => run.status)).toEqual(Array(LOCATIONS).fill("succeeded"));
  expect(new Set(locationRuns.map((run) => run.locationId))).toEqual(new Set(locationIds));
  for (const orphan of orphaned) {
    const run = finished.find((candidate) => candidate.id === orphan.id)!;
    expect(run.workerId, `run ${run.id} was finished by the surviving worker`).toBe(survivor.id());
    expect(run.checkpoint?.attempts, `run ${run.id} was resumed once`).toBe(1);
    // From its checkpoint: every record was written once; a pass restarted from the top would have
    // found the pages written before the kill again (updated or unchanged).
    expect({ updated: run.updated, unchanged: run.unchanged }, `run ${run.id}`).toEqual({
      updated: 0,
      unchanged: 0,
    });
    expect(run.done).toBeGreaterThan(orphan.done);
    // Taken over only once the dead worker's heartbeat was stale: never two workers on it at once.
    const [takeover] = await cluster.sql<{ staleSeconds: number }>(
      `SELECT extract(epoch FROM ("claimedAt" - $2::timestamp))::float AS "staleSeconds" FROM "SyncRun" WHERE id = $1`,
      [run.id, lastBeats.get(run.id)],
    );
    expect(takeover!.staleSeconds).toBeGreaterThanOrEqual(STALE_HEARTBEAT_SECONDS);
  }
  // Both workers ran syncs: the victim held runs when it died; the survivor finished runs of its own.
  expect(locationRuns.filter((run) => run.workerId === survivor.id()).length).toBeGreaterThan(
    orphaned.length,
  );
  // Runs of one location never overlap in time (started before the previous one finished).
  const overlapping = await cluster.sql(
    `SELECT a.id FROM "SyncRun" a JOIN "SyncRun" b ON a."installationId" = b."installationId" AND a."locationId" IS NOT DISTINCT FROM b."locationId" AND a.id <> b.id
      WHERE a."installationId" = $1 AND a."startedAt" < b."startedAt" AND b."startedAt" < a."finishedAt"`,
    [installationId],
  );
  expect(overlapping).toEqual([]);
  expect(await diffCopy(installationId, locationIds)).toEqual([]);
  const byWorker = (id: string | undefined) => locationRuns.filter((run) => run.workerId === id).length;
  console.log(
    `scale-out: ${orphaned.length} run(s) held by the killed worker (records done at the kill: ${orphaned.map((run) => run.done).join(", ")}), ` +
      `finished by the survivor from their checkpoints; location runs finished per worker: survivor ${byWorker(survivor.id())}, killed ${byWorker(victim.id())}`,
  );

  // ── Webhooks to B, processed by the surviving worker ──
  await control("/faults", undefined, "DELETE");
  const members = (await snapshot("members")).filter(
    (doc) => doc.status === "active" && doc.location === locationIds[0],
  );
  await control(`/orgs/${ORG}/members/${members[0]!._id}`, { name: "Renamed Through B" }, "PATCH");
  await control(`/orgs/${ORG}/members`, {
    name: "Created Through B",
    email: "created.b@example.com",
    location: locationIds[1],
    status: "active",
  });
  expect((await control<{ idle: boolean }>("/deliveries/idle?timeoutMs=30000", {})).idle).toBe(true);
  const deliveries = await control<{ url: string; status: string; eventType: string }[]>(
    `/deliveries?org=${ORG}`,
  );
  const memberDeliveries = deliveries.filter((delivery) => delivery.eventType.startsWith("member."));
  expect(memberDeliveries.map((delivery) => [new URL(delivery.url).origin, delivery.status])).toEqual([
    [INSTANCE_B, "succeeded"],
    [INSTANCE_B, "succeeded"],
  ]);
  await expect
    .poll(
      async () =>
        (
          await cluster.sql<{ waiting: number }>(
            `SELECT count(*)::int AS waiting FROM "WebhookEvent" WHERE "installationId" = $1 AND status = 'received'`,
            [installationId],
          )
        )[0]!.waiting,
      { timeout: 60_000 },
    )
    .toBe(0);
  expect(await diffCopy(installationId, locationIds)).toEqual([]);
  expect(survivor.log()).toContain("sync run step finished");
});
