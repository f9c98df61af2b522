// Issue 12 items 7 and 8, webhook part, against real Postgres: the route checks the path id and the
// installation before reading a byte of the body and caps bodies at 256 KiB (413 JSON); processed events
// lose their payload after WEBHOOK_PAYLOAD_RETENTION_DAYS; tombstones written by webhook processing keep
// only ids and times.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST } from "@/app/api/webhooks/officernd/[installationId]/route";
import { encryptSecret } from "@/lib/crypto/secrets";
import { db } from "@/lib/db";
import { resetEnvForTests } from "@/lib/env";
import { stopSender } from "@/lib/jobs/boss";
import { runMaintenance } from "@/lib/worker/maintenance";
import { signWebhook } from "@/lib/officernd/signature";
import { closeSqlPool } from "@/lib/sql-pool";
import { processWebhookEvent } from "@/lib/webhooks/process-event";
import { createInstallation, createUserWithAccount, randomHex } from "./support/factories";

const SECRET = "limits-secret-" + randomHex(8);
let installationId: string;
let locationId: string;

beforeAll(async () => {
  const { account } = await createUserWithAccount();
  const { installation, locations } = await createInstallation({ accountId: account.id });
  installationId = installation.id;
  locationId = locations[0]!.id;
  await db.installation.update({ where: { id: installationId }, data: { syncEnabled: true } });
  const id = randomUUID();
  await db.webhookSubscription.create({
    data: {
      id,
      installationId,
      remoteId: randomHex(),
      url: "http://app.test/hook",
      eventTypes: [],
      secretEnc: encryptSecret(SECRET, `webhook:${id}:secret`),
    },
  });
});

afterAll(async () => {
  await stopSender();
  await closeSqlPool();
});

/** A body that counts how often the route pulled from it. */
function countingBody(totalBytes: number) {
  const state = { pulls: 0 };
  let sent = 0;
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        state.pulls++;
        if (sent >= totalBytes) return controller.close();
        const chunk = new Uint8Array(Math.min(16 * 1024, totalBytes - sent)).fill(0x20);
        sent += chunk.byteLength;
        controller.enqueue(chunk);
      },
      // No read-ahead: a pull happens only when someone reads.
    },
    { highWaterMark: 0 },
  );
  return { stream, state };
}

const post = (target: string, body: BodyInit, headers: Record<string, string> = {}) =>
  POST(
    new Request(`http://app.test/api/webhooks/officernd/${encodeURIComponent(target)}`, {
      method: "POST",
      body,
      headers,
      duplex: "half",
    } as RequestInit),
    {
      params: Promise.resolve({ installationId: target }),
    },
  );

describe("item 7: nothing is read before the path is known to be an installation", () => {
  it.each([
    ["an id that is not an installation id", "../../etc/passwd"],
    ["a made-up word", "not-an-installation"],
    ["a well-formed id of no installation", randomUUID()],
  ])("%s → 404 JSON, body never read", async (_what, target) => {
    const { stream, state } = countingBody(200 * 1024);
    const response = await post(target, stream, {
      "officernd-signature": signWebhook("{}", SECRET, Math.floor(Date.now() / 1000)),
    });
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: "not_found" });
    expect(state.pulls).toBe(0);
  });

  it("a signed 300 KiB event → 413 JSON; one of exactly 256 KiB is accepted", async () => {
    const envelope = (padding: number) =>
      JSON.stringify({
        id: randomUUID(),
        eventType: "member.updated",
        data: { object: { _id: randomHex(), pad: "a".repeat(padding) } },
      });
    const big = envelope(300 * 1024);
    const response = await post(installationId, big, {
      "content-type": "application/json",
      "officernd-signature": signWebhook(big, SECRET, Math.floor(Date.now() / 1000)),
    });
    expect(response.status).toBe(413);
    expect(await response.json()).toEqual({
      error: "payload_too_large",
      message: "The webhook body is larger than 256 KiB.",
    });

    const overhead = envelope(0).length;
    const exact = envelope(256 * 1024 - overhead);
    expect(Buffer.byteLength(exact)).toBe(256 * 1024);
    const accepted = await post(installationId, exact, {
      "officernd-signature": signWebhook(exact, SECRET, Math.floor(Date.now() / 1000)),
    });
    expect(accepted.status).toBe(200);
  });
});

async function storeEvent({
  status,
  daysAgo,
  eventType = "member.updated",
}: {
  status: string;
  daysAgo: number;
  eventType?: string;
}) {
  const at = new Date(Date.now() - daysAgo * 86_400_000);
  const id = randomUUID();
  await db.webhookEvent.create({
    data: {
      id,
      installationId,
      dedupeKey: `test:${id}`,
      eventType,
      objectId: "m1",
      payload: {
        eventType,
        data: { object: { _id: "m1", name: "Private Person", email: "private@example.com" } },
      },
      signedAt: at,
      receivedAt: at,
      status,
      processedAt: status === "received" ? null : at,
    },
  });
  return id;
}

const payloadOf = async (id: string) => (await db.webhookEvent.findUniqueOrThrow({ where: { id } })).payload;

describe("item 8: webhook payloads are dropped after the retention period", () => {
  it("processed and ignored events older than 7 days lose their payload; newer or unprocessed ones keep it", async () => {
    const old = await storeEvent({ status: "processed", daysAgo: 8 });
    const oldIgnored = await storeEvent({ status: "ignored", daysAgo: 30 });
    const recent = await storeEvent({ status: "processed", daysAgo: 6 });
    const pending = await storeEvent({ status: "received", daysAgo: 8 });
    const failed = await storeEvent({ status: "failed", daysAgo: 8 });
    await runMaintenance(new Date());
    expect(await payloadOf(old)).toBeNull();
    expect(await payloadOf(oldIgnored)).toBeNull();
    expect(await payloadOf(recent)).not.toBeNull();
    expect(await payloadOf(pending)).not.toBeNull();
    expect(await payloadOf(failed)).not.toBeNull();
    // The event itself stays: type, object id, times and outcome.
    expect(await db.webhookEvent.findUniqueOrThrow({ where: { id: old } })).toMatchObject({
      eventType: "member.updated",
      objectId: "m1",
      status: "processed",
    });
  });

  it("WEBHOOK_PAYLOAD_RETENTION_DAYS sets the period", async () => {
    const { dropOldWebhookPayloads } = await import("@/lib/webhooks/retention");
    process.env.WEBHOOK_PAYLOAD_RETENTION_DAYS = "2";
    resetEnvForTests();
    try {
      const threeDays = await storeEvent({ status: "processed", daysAgo: 3 });
      const oneDay = await storeEvent({ status: "processed", daysAgo: 1 });
      expect(await dropOldWebhookPayloads(new Date())).toBeGreaterThanOrEqual(1);
      expect(await payloadOf(threeDays)).toBeNull();
      expect(await payloadOf(oneDay)).not.toBeNull();
    } finally {
      delete process.env.WEBHOOK_PAYLOAD_RETENTION_DAYS;
      resetEnvForTests();
    }
  });
});

async function processNew(eventType: string, object: Record<string, unknown>) {
  const id = randomUUID();
  await db.webhookEvent.create({
    data: {
      id,
      installationId,
      dedupeKey: `test:${id}`,
      eventType,
      objectId: String(object._id),
      payload: { eventType, data: { object } } as object,
      signedAt: new Date(),
    },
  });
  return processWebhookEvent(id);
}

describe("item 8: tombstones written by webhook processing keep only ids and times", () => {
  const member = (id: string, overrides: Record<string, unknown> = {}) => ({
    _id: id,
    name: "Private Person",
    email: "private@example.com",
    location: locationId,
    company: null,
    status: "active",
    modifiedAt: "2026-11-01T10:00:00.000Z",
    phone: "+44 1",
    ...overrides,
  });
  const row = (remoteId: string) =>
    db.member.findUnique({ where: { installationId_remoteId: { installationId, remoteId } } });

  it("member.removed of a live member clears name, email and status and keeps no document", async () => {
    const id = randomHex();
    expect(await processNew("member.created", member(id))).toMatchObject({ status: "processed" });
    expect(await row(id)).toMatchObject({
      deletedAt: null,
      name: "Private Person",
      email: "private@example.com",
    });
    await processNew("member.removed", member(id, { modifiedAt: "2026-11-02T10:00:00.000Z" }));
    const tombstone = await row(id);
    expect(tombstone?.deletedAt).not.toBeNull();
    expect(tombstone).toMatchObject({ name: "", email: null, status: null });
    expect(tombstone?.data).toEqual({ _id: id, modifiedAt: "2026-11-02T10:00:00.000Z" });
  });

  it("a member outside the synced statuses leaves no personal data in the copy", async () => {
    const id = randomHex();
    await processNew("member.created", member(id, { status: "former" }));
    const stored = await row(id);
    if (stored) {
      expect(stored.deletedAt).not.toBeNull();
      expect(stored).toMatchObject({ name: "", email: null, status: null });
      expect(stored.data).toEqual({ _id: id, modifiedAt: "2026-11-01T10:00:00.000Z" });
    }
  });
});
