// The `webhook-event` job (processWebhookEvent) against real Postgres, one outcome per branch: what it
// answers and what it leaves on the stored event (status, error, attempts, processedAt). The end-to-end
// path from the emulator is test/webhooks-processing.test.ts; these rows are written directly, so the
// branches that test never reaches (a missing or already handled event, an unreadable payload, an
// event type we do not sync, a removal for a missing or removed installation, a failing apply) are
// pinned here. Found by mutation testing (issue 18, docs/mutation-testing.md).
import { randomUUID } from "node:crypto";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { resetEnvForTests } from "@/lib/env";
import { stopSender } from "@/lib/jobs/boss";
import { closeSqlPool } from "@/lib/sql-pool";
import { processWebhookEvent } from "@/lib/webhooks/process-event";
import { createInstallation, createUserWithAccount, randomHex } from "./support/factories";

let accountId: string;
beforeEach(async () => {
  accountId = (await createUserWithAccount()).account.id;
});
afterEach(() => {
  delete process.env.OFFICERND_IDENTITY_URL;
  resetEnvForTests();
});
afterAll(async () => {
  await stopSender();
  await closeSqlPool();
});

const SIGNED_AT = new Date("2026-11-30T09:00:00.000Z");

async function storeEvent(input: {
  installationId: string;
  eventType: string;
  objectId?: string;
  payload: unknown;
  status?: string;
  signedAt?: Date;
}) {
  const id = randomUUID();
  await db.webhookEvent.create({
    data: {
      id,
      installationId: input.installationId,
      dedupeKey: `test:${id}`,
      eventType: input.eventType,
      objectId: input.objectId ?? null,
      payload: input.payload as object,
      signedAt: input.signedAt ?? SIGNED_AT,
      status: input.status ?? "received",
    },
  });
  return id;
}

const row = (id: string) =>
  db.webhookEvent.findUniqueOrThrow({
    where: { id },
    select: { status: true, error: true, attempts: true, processedAt: true },
  });
const envelope = (
  eventType: string,
  object: Record<string, unknown>,
  extra: Record<string, unknown> = {},
) => ({ eventType, data: { object }, ...extra });

describe("processWebhookEvent: events it does not process", () => {
  it("skips an event id it does not know", async () => {
    expect(await processWebhookEvent(randomUUID())).toEqual({ status: "skipped", detail: "no such event" });
  });

  it.each(["processed", "ignored"])(
    "skips an event already %s, without counting an attempt",
    async (status) => {
      const { installation } = await createInstallation({ accountId });
      const id = await storeEvent({
        installationId: installation.id,
        eventType: "member.updated",
        payload: envelope("member.updated", { _id: "m1" }),
        status,
      });
      expect(await processWebhookEvent(id)).toEqual({ status: "skipped", detail: `already ${status}` });
      expect(await row(id)).toMatchObject({ status, attempts: 0, processedAt: null, error: null });
    },
  );

  it("processes again an event that failed before (a retried job)", async () => {
    const { installation } = await createInstallation({ accountId });
    const id = await storeEvent({
      installationId: installation.id,
      eventType: "booking.created",
      payload: envelope("booking.created", { _id: "b1" }),
      status: "failed",
    });
    expect(await processWebhookEvent(id)).toEqual({
      status: "ignored",
      detail: "booking.created is not synced",
    });
    expect(await row(id)).toMatchObject({ status: "ignored", attempts: 1 });
  });
});

describe("processWebhookEvent: ignored events keep their reason", () => {
  it("a payload that is not an event envelope", async () => {
    const { installation } = await createInstallation({ accountId });
    const id = await storeEvent({
      installationId: installation.id,
      eventType: "member.updated",
      payload: { eventType: "member.updated", data: {} },
    });
    expect(await processWebhookEvent(id)).toEqual({
      status: "ignored",
      detail: "payload is not an event envelope",
    });
    const stored = await row(id);
    expect(stored).toMatchObject({
      status: "ignored",
      error: "payload is not an event envelope",
      attempts: 1,
    });
    expect(stored.processedAt).not.toBeNull();
  });

  it("an event type the sync does not act on", async () => {
    const { installation } = await createInstallation({ accountId });
    const id = await storeEvent({
      installationId: installation.id,
      eventType: "booking.created",
      payload: envelope("booking.created", { _id: "b1" }),
    });
    expect(await processWebhookEvent(id)).toEqual({
      status: "ignored",
      detail: "booking.created is not synced",
    });
    expect(await row(id)).toMatchObject({
      status: "ignored",
      error: "booking.created is not synced",
      attempts: 1,
    });
  });

  it("an entity event the apply step ignores (sync off) answers with its reason", async () => {
    const { installation } = await createInstallation({ accountId });
    const id = await storeEvent({
      installationId: installation.id,
      eventType: "member.removed",
      payload: envelope("member.removed", { _id: "m1" }),
    });
    expect(await processWebhookEvent(id)).toEqual({ status: "ignored", detail: "sync is off" });
    expect(await row(id)).toMatchObject({ status: "ignored", error: "sync is off", attempts: 1 });
  });
});

describe("processWebhookEvent: an applied entity event", () => {
  async function syncingInstallation() {
    const { installation, locations } = await createInstallation({ accountId });
    await db.installation.update({ where: { id: installation.id }, data: { syncEnabled: true } });
    await db.installationLocation.updateMany({
      where: { installationId: installation.id },
      data: { syncEnabled: true },
    });
    return { installationId: installation.id, locationId: locations[0]!.id };
  }
  const tombstone = (installationId: string, remoteId: string) =>
    db.member.findUniqueOrThrow({
      where: { installationId_remoteId: { installationId, remoteId } },
      select: { remoteModifiedAt: true, deletedAt: true },
    });

  it("is processed, the event's createdAt being when it happened", async () => {
    const { installationId, locationId } = await syncingInstallation();
    const memberId = randomHex();
    const id = await storeEvent({
      installationId,
      eventType: "member.removed",
      payload: envelope(
        "member.removed",
        { _id: memberId, location: locationId },
        { createdAt: "2026-11-30T08:30:00.000Z" },
      ),
    });
    expect(await processWebhookEvent(id)).toEqual({ status: "processed", detail: "removed" });
    const stored = await row(id);
    // The detail is kept in `error` (the column holds the outcome's reason, not only failures).
    expect(stored).toMatchObject({ status: "processed", error: "removed", attempts: 1 });
    expect(stored.processedAt).not.toBeNull();
    expect((await tombstone(installationId, memberId)).remoteModifiedAt).toEqual(
      new Date("2026-11-30T08:30:00.000Z"),
    );
  });

  it("without a createdAt, the signature's time is when it happened", async () => {
    const { installationId, locationId } = await syncingInstallation();
    const memberId = randomHex();
    const id = await storeEvent({
      installationId,
      eventType: "member.removed",
      payload: envelope("member.removed", { _id: memberId, location: locationId }),
    });
    expect(await processWebhookEvent(id)).toMatchObject({ status: "processed" });
    expect((await tombstone(installationId, memberId)).remoteModifiedAt).toEqual(SIGNED_AT);
  });

  it("a failing apply marks the event failed with the error, counts the attempt and throws for the job to retry", async () => {
    const { installationId, locationId } = await syncingInstallation();
    // An incomplete member is re-read from OfficeRnD, which needs a new token first, and nothing listens
    // where the token would come from: `unavailable`.
    process.env.OFFICERND_IDENTITY_URL = "http://127.0.0.1:9";
    resetEnvForTests();
    await db.installation.update({
      where: { id: installationId },
      data: { tokenExpiresAt: new Date(Date.now() - 60_000) },
    });
    const id = await storeEvent({
      installationId,
      eventType: "member.updated",
      payload: envelope("member.updated", { _id: randomHex(), location: locationId }),
    });
    const thrown = await processWebhookEvent(id).then(
      () => null,
      (error: unknown) => error,
    );
    expect(thrown).toBeInstanceOf(Error);
    const stored = await row(id);
    expect(stored).toMatchObject({
      status: "failed",
      error: (thrown as Error).message,
      attempts: 1,
      processedAt: null,
    });
    expect(stored.error).not.toBe("");
  });
});

describe("processWebhookEvent: integration.removed", () => {
  const removal = (integrationId: string) => envelope("integration.removed", { _id: integrationId });

  it("for an installation that no longer exists is ignored", async () => {
    const id = await storeEvent({
      installationId: randomUUID(),
      eventType: "integration.removed",
      objectId: "i1",
      payload: removal("i1"),
    });
    expect(await processWebhookEvent(id)).toEqual({ status: "ignored", detail: "installation gone" });
  });

  it("for an installation already removed is ignored", async () => {
    const { installation } = await createInstallation({ accountId, status: "removed" });
    const id = await storeEvent({
      installationId: installation.id,
      eventType: "integration.removed",
      objectId: installation.integrationId,
      payload: removal(installation.integrationId),
      signedAt: new Date(Date.now() + 60_000),
    });
    expect(await processWebhookEvent(id)).toEqual({ status: "ignored", detail: "already removed" });
    expect(await db.auditEvent.count({ where: { installationId: installation.id } })).toBe(0);
  });

  it("for this installation's integration, after it connected, removes it once", async () => {
    const { installation } = await createInstallation({ accountId });
    const later = { signedAt: new Date(Date.now() + 60_000) };
    const id = await storeEvent({
      installationId: installation.id,
      eventType: "integration.removed",
      objectId: installation.integrationId,
      payload: removal(installation.integrationId),
      ...later,
    });
    expect(await processWebhookEvent(id)).toEqual({ status: "processed" });
    expect(await row(id)).toMatchObject({ status: "processed", error: null, attempts: 1 });
    expect((await db.installation.findUniqueOrThrow({ where: { id: installation.id } })).status).toBe(
      "removed",
    );
    const audits = await db.auditEvent.findMany({
      where: { installationId: installation.id, action: "installation.removed" },
    });
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({
      actor: "officernd:webhook",
      after: { status: "removed", reason: "integration.removed" },
    });
  });

  it("received before this connection began is ignored, even when its signature's time is later", async () => {
    const { installation } = await createInstallation({ accountId });
    const connectedAt = new Date(Date.now() - 60_000);
    await db.installation.update({ where: { id: installation.id }, data: { connectedAt } });
    const id = await storeEvent({
      installationId: installation.id,
      eventType: "integration.removed",
      objectId: installation.integrationId,
      payload: removal(installation.integrationId),
      signedAt: new Date(connectedAt.getTime() + 30_000),
    });
    await db.webhookEvent.update({
      where: { id },
      data: { receivedAt: new Date(connectedAt.getTime() - 1_000) },
    });
    expect(await processWebhookEvent(id)).toEqual({
      status: "ignored",
      detail: "removal predates the current connection",
    });
    expect((await db.installation.findUniqueOrThrow({ where: { id: installation.id } })).status).toBe(
      "active",
    );
  });
});
