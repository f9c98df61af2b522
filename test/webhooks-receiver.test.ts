// POST /api/webhooks/officernd/<installationId>, called as a route handler against real Postgres:
// signature over the raw body, status codes for every client mistake, deduplication, the job it
// sends, and 503 (nothing acknowledged) while the database is down.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST } from "@/app/api/webhooks/officernd/[installationId]/route";
import { encryptSecret } from "@/lib/crypto/secrets";
import { db } from "@/lib/db";
import { stopSender } from "@/lib/jobs/boss";
import { signWebhook } from "@/lib/officernd/signature";
import { withDatabaseDown } from "./support/database-down";
import { createInstallation, createUserWithAccount, randomHex } from "./support/factories";
import { closeSqlPool } from "@/lib/sql-pool";

let installationId: string;
const SECRET = "webhook-secret-" + randomHex(8);
const OLD_SECRET = "rotated-out-secret-" + randomHex(8);

beforeAll(async () => {
  const { account } = await createUserWithAccount();
  const { installation } = await createInstallation({ accountId: account.id });
  installationId = installation.id;
  for (const secret of [OLD_SECRET, SECRET]) {
    const id = randomUUID();
    await db.webhookSubscription.create({
      data: {
        id,
        installationId,
        remoteId: randomHex(),
        url: "http://app.test/hook",
        eventTypes: ["member.updated"],
        secretEnc: encryptSecret(secret, `webhook:${id}:secret`),
      },
    });
  }
});

afterAll(async () => {
  await stopSender();
  await closeSqlPool();
});

const now = () => Math.floor(Date.now() / 1000);

function event(overrides: Record<string, unknown> = {}) {
  return {
    id: randomHex(),
    eventType: "member.updated",
    createdAt: new Date().toISOString(),
    data: { object: { _id: randomHex(), name: "Ann" } },
    ...overrides,
  };
}

function deliver({
  body,
  secret = SECRET,
  t = now(),
  header,
  target = installationId,
  headers = {},
}: {
  body: string | Uint8Array;
  secret?: string;
  t?: number;
  header?: string | null;
  target?: string;
  headers?: Record<string, string>;
}) {
  const signature = header === undefined ? signWebhook(body, secret, t) : header;
  const request = new Request(`http://app.test/api/webhooks/officernd/${target}`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      ...(signature === null ? {} : { "officernd-signature": signature }),
      ...headers,
    },
    body: body as BodyInit,
  });
  return POST(request, { params: Promise.resolve({ installationId: target }) });
}

const storedEvents = () => db.webhookEvent.findMany({ where: { installationId } });
const queuedJobs = (eventId: string) =>
  db.$queryRawUnsafe<{ id: string }[]>(
    `SELECT id FROM pgboss.job WHERE name = 'webhook-event' AND data->>'eventId' = $1`,
    eventId,
  );

describe("a valid event", () => {
  it("is persisted, answered 200 {status: received}, and handed to a job", async () => {
    const sent = event();
    const response = await deliver({ body: JSON.stringify(sent) });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "received" });
    const stored = (await storedEvents()).find((row) => row.objectId === sent.data.object._id);
    expect(stored).toMatchObject({ status: "received", eventType: "member.updated", payload: sent });
    // The job is sent right after the answer.
    await expect.poll(async () => (await queuedJobs(stored!.id)).length, { timeout: 10_000 }).toBe(1);
  });

  it("verifies with any of the installation's webhook secrets", async () => {
    expect((await deliver({ body: JSON.stringify(event()), secret: OLD_SECRET })).status).toBe(200);
  });

  it("is accepted with extra fields and without id or createdAt (parsed leniently)", async () => {
    const body = JSON.stringify({
      eventType: "company.created",
      data: { object: { _id: randomHex() }, previousAttributes: {} },
      extra: [1, 2],
    });
    expect((await deliver({ body })).status).toBe(200);
  });
});

describe("duplicates", () => {
  it("with the same event id answer 200 and store nothing new", async () => {
    const body = JSON.stringify(event());
    const before = (await storedEvents()).length;
    for (let attempt = 0; attempt < 3; attempt++)
      expect((await deliver({ body, t: now() - attempt })).status).toBe(200);
    expect((await storedEvents()).length).toBe(before + 1);
  });

  it("without an event id are keyed by body and timestamp", async () => {
    const body = JSON.stringify({ eventType: "member.removed", data: { object: { _id: randomHex() } } });
    const before = (await storedEvents()).length;
    const t = now();
    await deliver({ body, t });
    await deliver({ body, t });
    expect((await storedEvents()).length).toBe(before + 1);
    await deliver({ body, t: t - 5 });
    expect((await storedEvents()).length).toBe(before + 2);
  });
});

describe("client mistakes", () => {
  it.each([
    ["a wrong secret", { secret: "not-the-secret" }],
    ["no signature header", { header: null }],
    ["a malformed header", { header: "v1=abc" }],
    ["a stale timestamp", { t: now() - 3600 }],
    ["a timestamp far in the future", { t: now() + 3600 }],
  ])("%s → 401", async (_name, options) => {
    const response = await deliver({ body: JSON.stringify(event()), ...options });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: "invalid_signature" });
  });

  it("a body changed after signing → 401 (the raw bytes are verified)", async () => {
    const body = JSON.stringify(event());
    const header = signWebhook(body, SECRET, now());
    expect((await deliver({ body: body.replace("Ann", "Bob"), header })).status).toBe(401);
    // Same JSON, different bytes: still refused.
    expect((await deliver({ body: ` ${body}`, header })).status).toBe(401);
  });

  it("an unknown installation → 404", async () => {
    expect((await deliver({ body: JSON.stringify(event()), target: randomUUID() })).status).toBe(404);
  });

  it.each([
    ["not JSON", "{not json"],
    ["JSON that is not an envelope", JSON.stringify({ hello: "world" })],
    [
      "an envelope without data.object._id",
      JSON.stringify({ eventType: "member.updated", data: { object: {} } }),
    ],
    ["a JSON array", "[]"],
    ["invalid UTF-8", new Uint8Array([0x7b, 0xff, 0xfe, 0x7d])],
  ])("%s → 400", async (_name, body) => {
    const response = await deliver({ body });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: "invalid_body" });
  });

  it("a body over 256 KiB → 413, by Content-Length or by the bytes actually sent", async () => {
    const big = JSON.stringify(event({ data: { object: { _id: "x", padding: "a".repeat(300 * 1024) } } }));
    expect(
      (await deliver({ body: big, headers: { "content-length": String(Buffer.byteLength(big)) } })).status,
    ).toBe(413);
    expect((await deliver({ body: big })).status).toBe(413);
    // A small Content-Length that lies: the reader stops at the limit anyway.
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let chunk = 0; chunk < 20; chunk++) controller.enqueue(new Uint8Array(64 * 1024).fill(0x61));
        controller.close();
      },
    });
    const request = new Request(`http://app.test/api/webhooks/officernd/${installationId}`, {
      method: "POST",
      headers: { "officernd-signature": signWebhook("{}", SECRET, now()) },
      body: stream,
      duplex: "half",
    } as RequestInit);
    expect((await POST(request, { params: Promise.resolve({ installationId }) })).status).toBe(413);
  });
});

describe("database down", () => {
  it("answers 503 with Retry-After and acknowledges nothing", async () => {
    const before = (await storedEvents()).length;
    await withDatabaseDown(async () => {
      const response = await deliver({ body: JSON.stringify(event()) });
      expect(response.status).toBe(503);
      expect(response.headers.get("retry-after")).toBeTruthy();
    });
    expect((await storedEvents()).length).toBe(before);
  });
});
