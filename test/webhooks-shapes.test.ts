// Issue 11 §3, webhooks are triggers, not truth: against real Postgres and the emulator over HTTP. After
// a full sync, signed events whose object uses API v1 names, lacks a field, has a wrong type or an
// unknown shape never tombstone a live record: complete objects are applied, the rest re-read by id.
// Only a 404 on re-read, a re-read showing another location, or `*.removed` tombstones.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST } from "@/app/api/webhooks/officernd/[installationId]/route";
import { encryptSecret } from "@/lib/crypto/secrets";
import { db } from "@/lib/db";
import { stopSender } from "@/lib/jobs/boss";
import { signWebhook } from "@/lib/officernd/signature";
import { executeRun } from "@/lib/sync/engine";
import { requestSync } from "@/lib/sync/request-sync";
import { claimNextRun } from "@/lib/sync/run-claim";
import { closeSqlPool } from "@/lib/sql-pool";
import { processWebhookEvent } from "@/lib/webhooks/process-event";
import {
  compareWithEmulator,
  connectInstallation,
  emulatorRecords,
  type ConnectedInstallation,
} from "../bench/lib/emulator-org";
import { startEmulatorProcess, type EmulatorProcess } from "./support/emulator";
import { useOfficeRnd } from "./support/officernd-env";

const ORG = "acme-coworking";
const SECRET = "shapes-secret-" + randomUUID();
let emulator: EmulatorProcess;
let installation: ConnectedInstallation;
let otherLocation: string;

type Doc = Record<string, unknown> & {
  _id: string;
  location?: string | null;
  company?: string | null;
  status?: string;
  modifiedAt?: string;
};

beforeAll(async () => {
  process.env.OFFICERND_API_REQUESTS_PER_MINUTE = "100000";
  emulator = await startEmulatorProcess(["--members", "60", "--companies", "12", "--read-rate-limit", "0"]);
  await useOfficeRnd(emulator.url);
  const locations = await emulatorRecords(emulator, ORG, "locations");
  // Two of the four locations are synced; the others are "a location we do not sync".
  installation = await connectInstallation({
    emulator,
    org: ORG,
    locationIds: [locations[0]!._id, locations[1]!._id],
  });
  otherLocation = locations[2]!._id;
  const subscriptionId = randomUUID();
  await db.webhookSubscription.create({
    data: {
      id: subscriptionId,
      installationId: installation.installationId,
      remoteId: "local-" + subscriptionId,
      url: "http://app.test/hook",
      eventTypes: [],
      secretEnc: encryptSecret(SECRET, `webhook:${subscriptionId}:secret`),
    },
  });
  await requestSync({ installationId: installation.installationId, trigger: "test", kind: "full" });
  for (const locationId of [...installation.locationIds, null]) {
    for (;;) {
      const claim = await claimNextRun({ installationId: installation.installationId, locationId });
      if (claim.kind !== "claimed") break;
      await executeRun(claim.run);
    }
  }
  expect(await compareWithEmulator({ emulator, installation })).toEqual([]);
}, 120_000);

afterAll(async () => {
  await stopSender();
  await closeSqlPool();
  await emulator?.stop();
});

/** Delivers a signed body to the route and processes what it stored; returns the answer and outcome. */
async function deliver(body: string, { contentType = "application/json" } = {}) {
  const request = new Request(`http://app.test/api/webhooks/officernd/${installation.installationId}`, {
    method: "POST",
    headers: {
      "content-type": contentType,
      "officernd-signature": signWebhook(body, SECRET, Math.floor(Date.now() / 1000)),
    },
    body,
  });
  const response = await POST(request, {
    params: Promise.resolve({ installationId: installation.installationId }),
  });
  const pending = await db.webhookEvent.findMany({
    where: { installationId: installation.installationId, status: "received" },
    select: { id: true },
  });
  const outcomes = [];
  for (const event of pending) outcomes.push(await processWebhookEvent(event.id));
  return {
    status: response.status,
    json: (await response.json()) as Record<string, unknown>,
    outcome: outcomes[0],
  };
}

const event = (eventType: string, object: Record<string, unknown>) =>
  JSON.stringify({ id: randomUUID(), eventType, createdAt: new Date().toISOString(), data: { object } });

async function liveMember(index = 0): Promise<Doc> {
  const members = (await emulatorRecords(emulator, ORG, "members", installation.locationIds[0])).filter(
    (member) => member.status === "active",
  );
  return members[index] as Doc;
}

const stored = (remoteId: string) =>
  db.member.findUniqueOrThrow({
    where: { installationId_remoteId: { installationId: installation.installationId, remoteId } },
  });

/** The v1 shape of a member (spec addendum): `office` and `team`, no `location`/`company`. */
function asV1({ location, company, ...rest }: Doc): Doc {
  return { ...rest, office: location, team: company };
}

const later = (doc: Doc, seconds = 60) =>
  new Date(Date.parse(String(doc.modifiedAt)) + seconds * 1000).toISOString();

describe("entity events in API v1 shape", () => {
  it("a signed member.updated with office/team and no location updates the live member (the issue-11 data loss)", async () => {
    const member = await liveMember(0);
    const { status, outcome } = await deliver(
      event("member.updated", { ...asV1(member), name: "Renamed In V1", modifiedAt: later(member) }),
    );
    expect(status).toBe(200);
    expect(outcome).toMatchObject({ status: "processed" });
    const row = await stored(member._id);
    expect(row).toMatchObject({
      deletedAt: null,
      name: "Renamed In V1",
      locationId: member.location,
      companyId: member.company ?? null,
    });
  });

  it("a v1 company.updated (office) is applied", async () => {
    const [company] = (await emulatorRecords(
      emulator,
      ORG,
      "companies",
      installation.locationIds[1],
    )) as Doc[];
    const { location, ...rest } = company!;
    await deliver(
      event("company.updated", {
        ...rest,
        office: location,
        name: "V1 Company",
        modifiedAt: later(company!),
      }),
    );
    const row = await db.company.findUniqueOrThrow({
      where: {
        installationId_remoteId: { installationId: installation.installationId, remoteId: company!._id },
      },
    });
    expect(row).toMatchObject({ deletedAt: null, name: "V1 Company", locationId: location });
  });

  it("a v1 member.removed tombstones, keeping only ids and times", async () => {
    const member = await liveMember(5);
    await deliver(event("member.removed", asV1(member)));
    const row = await stored(member._id);
    expect(row.deletedAt).not.toBeNull();
    expect(row).toMatchObject({ name: "", email: null, status: null, companyId: null });
    expect(row.data).toEqual({ _id: member._id, modifiedAt: expect.any(String) as string });
  });
});

describe("incomplete or unknown objects are re-read by id, never tombstoned for a missing field", () => {
  it.each([
    [
      "no location or office",
      (doc: Doc) => ({ _id: doc._id, name: doc.name, status: doc.status, modifiedAt: later(doc) }),
    ],
    ["no status", (doc: Doc) => ({ ...doc, status: undefined })],
    ["no modifiedAt", (doc: Doc) => ({ ...doc, modifiedAt: undefined })],
    ["no company", (doc: Doc) => ({ ...doc, company: undefined })],
    ["location of the wrong type", (doc: Doc) => ({ ...doc, location: 42 })],
    ["an unknown shape (only _id)", (doc: Doc) => ({ _id: doc._id, kind: "mystery" })],
  ])("member.updated with %s: re-read, stays live and equal to OfficeRnD", async (_what, change) => {
    const member = await liveMember(1);
    const { status, outcome } = await deliver(event("member.updated", change(member)));
    expect(status).toBe(200);
    expect(outcome).toMatchObject({
      status: "processed",
      detail: expect.stringContaining("data.object.") as string,
    });
    const row = await stored(member._id);
    expect(row.deletedAt).toBeNull();
    expect(row.data).toEqual(member);
  });

  it("a complete object naming a location we do not sync is confirmed by re-read: OfficeRnD still says ours, so it stays", async () => {
    const member = await liveMember(2);
    const { outcome } = await deliver(
      event("member.updated", { ...member, location: otherLocation, modifiedAt: later(member) }),
    );
    expect(outcome).toMatchObject({ status: "processed" });
    expect((await stored(member._id)).deletedAt).toBeNull();
  });

  it("a member really moved to a location we do not sync is tombstoned once the re-read shows that location", async () => {
    const member = await liveMember(3);
    await emulator.control(
      `/_emulator/orgs/${ORG}/members/${member._id}`,
      { location: otherLocation },
      "PATCH",
    );
    // The event's object is incomplete (v1 names, no office): only the re-read can tell.
    const { outcome } = await deliver(
      event("member.updated", { _id: member._id, team: member.company ?? null, status: "active" }),
    );
    expect(outcome).toMatchObject({
      status: "processed",
      detail: expect.stringContaining("outside the synced") as string,
    });
    const row = await stored(member._id);
    expect(row.deletedAt).not.toBeNull();
    expect(row).toMatchObject({ name: "", email: null, status: null, locationId: otherLocation });
  });

  it("a 404 on re-read tombstones", async () => {
    const member = await liveMember(4);
    await emulator.control(`/_emulator/orgs/${ORG}/members/${member._id}`, undefined, "DELETE");
    const { outcome } = await deliver(event("member.updated", { _id: member._id, name: "Ghost" }));
    expect(outcome).toMatchObject({
      status: "processed",
      detail: expect.stringContaining("not found at OfficeRnD") as string,
    });
    expect((await stored(member._id)).deletedAt).not.toBeNull();
  });

  it("a re-read that fails (OfficeRnD 500) is retried, the member untouched; it applies once OfficeRnD answers", async () => {
    const member = await liveMember(6);
    await emulator.control("/_emulator/faults", {
      path: `/api/v2/organizations/*/members/${member._id}`,
      status: 500,
      times: 20,
    });
    const body = event("member.updated", { _id: member._id });
    await expect(deliver(body)).rejects.toThrow(/500/);
    const failed = await db.webhookEvent.findFirstOrThrow({
      where: { installationId: installation.installationId, status: "failed" },
    });
    expect((await stored(member._id)).deletedAt).toBeNull();
    await emulator.control("/_emulator/faults", undefined, "DELETE");
    expect(await processWebhookEvent(failed.id)).toMatchObject({ status: "processed" });
    expect((await stored(member._id)).data).toEqual(member);
  });
});

describe("bad input from OfficeRnD: answered without a 500, nothing deleted", () => {
  it.each([
    ["HTML instead of JSON", "<html><body>502 Bad Gateway</body></html>"],
    ["eventType of the wrong type", JSON.stringify({ eventType: 7, data: { object: { _id: "x" } } })],
    ["data.object missing", JSON.stringify({ eventType: "member.updated", data: {} })],
    ["data.object not an object", JSON.stringify({ eventType: "member.updated", data: { object: "m1" } })],
  ])("%s → 400, no event stored", async (_what, body) => {
    const before = await db.webhookEvent.count({ where: { installationId: installation.installationId } });
    const { status, json } = await deliver(body);
    expect(status).toBe(400);
    expect(json).toMatchObject({ error: "invalid_body" });
    expect(await db.webhookEvent.count({ where: { installationId: installation.installationId } })).toBe(
      before,
    );
  });

  it("names the offending field in the answer", async () => {
    const { json } = await deliver(
      JSON.stringify({ eventType: "member.updated", data: { object: { _id: 5 } } }),
    );
    expect(json.message).toContain("data.object._id");
  });

  it("an unknown event type is stored and skipped", async () => {
    const member = await liveMember(7);
    const { status, outcome } = await deliver(event("member.teleported", { _id: member._id }));
    expect(status).toBe(200);
    expect(outcome).toMatchObject({ status: "ignored" });
    expect((await stored(member._id)).deletedAt).toBeNull();
  });

  it("after all of the above, every live record still at OfficeRnD is live in the copy", async () => {
    const differences = await compareWithEmulator({ emulator, installation });
    // Our deliberate v1 renames differ in content; nothing is missing (no live record tombstoned).
    expect(differences.filter((difference) => difference.problem === "missing")).toEqual([]);
  });
});
