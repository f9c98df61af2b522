// Webhooks end to end: the emulator delivers signed events over HTTP to the route (through a small
// relay), events are processed, and our copy stays equal to the emulator's data, also when events
// arrive twice and out of order. Then removal, a repeat of it, and a reconnect it must not break.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST } from "@/app/api/webhooks/officernd/[installationId]/route";
import { encryptSecret } from "@/lib/crypto/secrets";
import { db } from "@/lib/db";
import { teardownInstallation } from "@/lib/installations/teardown";
import { stopSender } from "@/lib/jobs/boss";
import { startWorker } from "@/lib/worker/start-worker";
import { signWebhook } from "@/lib/officernd/signature";
import { executeRun } from "@/lib/sync/engine";
import { requestSync } from "@/lib/sync/request-sync";
import { claimNextRun } from "@/lib/sync/run-claim";
import { processWebhookEvent } from "@/lib/webhooks/process-event";
import {
  compareWithEmulator,
  connectInstallation,
  emulatorRecords,
  subscribeWebhooks,
  type ConnectedInstallation,
} from "../bench/lib/emulator-org";
import { startEmulatorProcess, type EmulatorProcess } from "./support/emulator";
import { useOfficeRnd } from "./support/officernd-env";
import { closeSqlPool } from "@/lib/sql-pool";

const ORG = "acme-coworking";
let emulator: EmulatorProcess;
let relay: Server;
let relayUrl: string;

beforeAll(async () => {
  process.env.OFFICERND_API_REQUESTS_PER_MINUTE = "100000";
  emulator = await startEmulatorProcess([
    "--members",
    "200",
    "--companies",
    "40",
    "--read-rate-limit",
    "0",
    "--webhook-retry-base-ms",
    "50",
  ]);
  await useOfficeRnd(emulator.url);
  // Plays the web server: hands each delivery to the route handler as a Request.
  relay = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const installationId = (req.url ?? "").split("/").pop() ?? "";
      const request = new Request(`http://relay.test${req.url ?? ""}`, {
        method: "POST",
        headers: req.headers as Record<string, string>,
        body: Buffer.concat(chunks),
      });
      void POST(request, { params: Promise.resolve({ installationId }) }).then(async (response) => {
        res.writeHead(response.status, { "content-type": "application/json" });
        res.end(await response.text());
      });
    });
  });
  await new Promise<void>((resolve) => relay.listen(0, "127.0.0.1", resolve));
  relayUrl = `http://127.0.0.1:${(relay.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await stopSender();
  await closeSqlPool();
  await new Promise((resolve) => relay?.close(resolve));
  await emulator?.stop();
});

const hookUrl = (installationId: string) => `${relayUrl}/api/webhooks/officernd/${installationId}`;
const idle = () => emulator.control<{ idle: boolean }>("/_emulator/deliveries/idle?timeoutMs=10000", {});

async function syncEverything(installation: ConnectedInstallation): Promise<void> {
  await requestSync({ installationId: installation.installationId, trigger: "test", kind: "full" });
  for (const locationId of [...installation.locationIds, null]) {
    for (;;) {
      const claim = await claimNextRun({ installationId: installation.installationId, locationId });
      if (claim.kind !== "claimed") break;
      await executeRun(claim.run);
    }
  }
}

/** Processes this installation's unprocessed events in the order given (default: as received). */
async function processPending(
  installationId: string,
  order: "received" | "reversed" = "received",
): Promise<number> {
  const events = await db.webhookEvent.findMany({
    where: { installationId, status: "received" },
    orderBy: { receivedAt: "asc" },
    select: { id: true },
  });
  const ids = events.map((event) => event.id);
  if (order === "reversed") ids.reverse();
  for (const id of ids) await processWebhookEvent(id);
  return ids.length;
}

/** A handful of changes of every kind, each of which the emulator publishes as a webhook. */
async function makeChanges(locationId: string): Promise<void> {
  const members = (await emulatorRecords(emulator, ORG, "members", locationId)).filter(
    (member) => member.status === "active",
  );
  const companies = await emulatorRecords(emulator, ORG, "companies", locationId);
  const created = await emulator.control<{ _id: string }>(`/_emulator/orgs/${ORG}/members`, {
    name: "Webhook Newcomer",
    location: locationId,
    status: "active",
  });
  await emulator.control(
    `/_emulator/orgs/${ORG}/members/${created._id}`,
    { name: "Webhook Newcomer (renamed)" },
    "PATCH",
  );
  await emulator.control(
    `/_emulator/orgs/${ORG}/members/${members[0]!._id}`,
    { email: "changed@example.com" },
    "PATCH",
  );
  await emulator.control(
    `/_emulator/orgs/${ORG}/members/${members[0]!._id}`,
    { name: "Changed Twice" },
    "PATCH",
  );
  await emulator.control(`/_emulator/orgs/${ORG}/members/${members[1]!._id}`, { status: "former" }, "PATCH");
  await emulator.control(`/_emulator/orgs/${ORG}/members/${members[2]!._id}`, undefined, "DELETE");
  await emulator.control(
    `/_emulator/orgs/${ORG}/companies/${companies[0]!._id}`,
    { name: "Renamed Company" },
    "PATCH",
  );
  const company = await emulator.control<{ _id: string }>(`/_emulator/orgs/${ORG}/companies`, {
    name: "Born And Gone",
    location: locationId,
  });
  await emulator.control(`/_emulator/orgs/${ORG}/companies/${company._id}`, undefined, "DELETE");
  await emulator.control(
    `/_emulator/orgs/${ORG}/locations/${locationId}`,
    { name: "Renamed Location" },
    "PATCH",
  );
}

describe("entity events", () => {
  it("keep the copy equal to OfficeRnD as changes happen", async () => {
    const installation = await connectInstallation({ emulator, org: ORG });
    await subscribeWebhooks({ emulator, installation, url: hookUrl(installation.installationId) });
    await syncEverything(installation);
    expect(await compareWithEmulator({ emulator, installation })).toEqual([]);

    await makeChanges(installation.locationIds[0]!);
    expect((await idle()).idle).toBe(true);
    expect(await processPending(installation.installationId)).toBeGreaterThanOrEqual(10);
    expect(await compareWithEmulator({ emulator, installation })).toEqual([]);
  });

  it("arriving twice and out of order still leave the copy equal", async () => {
    // Installation A receives the emulator's deliveries; B gets the same bodies replayed, shuffled.
    const a = await connectInstallation({ emulator, org: ORG });
    const b = await connectInstallation({ emulator, org: ORG });
    const { remoteId } = await subscribeWebhooks({
      emulator,
      installation: a,
      url: hookUrl(a.installationId),
    });
    const bSecret = "replay-secret-" + randomUUID();
    const bSubscription = randomUUID();
    await db.webhookSubscription.create({
      data: {
        id: bSubscription,
        installationId: b.installationId,
        remoteId: "local",
        url: hookUrl(b.installationId),
        eventTypes: [],
        secretEnc: encryptSecret(bSecret, `webhook:${bSubscription}:secret`),
      },
    });
    await syncEverything(b);

    await makeChanges(b.locationIds[1]!);
    expect((await idle()).idle).toBe(true);
    const deliveries = await emulator.control<{ body: string; webhookId: string; status: string }[]>(
      `/_emulator/deliveries?webhookId=${remoteId}`,
    );
    expect(deliveries.length).toBeGreaterThanOrEqual(10);
    const bodies = deliveries.map((delivery) => delivery.body);
    // Newest first, each twice.
    const replay = [...bodies].reverse().flatMap((body) => [body, body]);
    for (const body of replay) {
      const response = await fetch(hookUrl(b.installationId), {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "officernd-signature": signWebhook(body, bSecret, Math.floor(Date.now() / 1000)),
        },
        body,
      });
      expect(response.status).toBe(200);
    }
    expect(await db.webhookEvent.count({ where: { installationId: b.installationId } })).toBe(bodies.length);
    await processPending(b.installationId, "reversed");
    expect(await compareWithEmulator({ emulator, installation: b })).toEqual([]);
  });
});

describe("integration.removed", () => {
  it("tears the installation down once; a repeat and a late copy after a reconnect change nothing", async () => {
    const integration = await emulator.control<{ _id: string }>("/_emulator/integrations", { org: ORG });
    const installation = await connectInstallation({ emulator, org: ORG, integrationId: integration._id });
    const { remoteId, secret } = await subscribeWebhooks({
      emulator,
      installation,
      url: hookUrl(installation.installationId),
    });
    const { runIds } = await requestSync({ installationId: installation.installationId, trigger: "test" });

    await emulator.control(`/_emulator/integrations/${integration._id}`, undefined, "DELETE");
    expect((await idle()).idle).toBe(true);
    await processPending(installation.installationId);
    const removed = await db.installation.findUniqueOrThrow({ where: { id: installation.installationId } });
    expect(removed).toMatchObject({
      status: "removed",
      accessTokenEnc: null,
      refreshTokenEnc: null,
      syncEnabled: false,
    });
    expect(removed.removedAt).not.toBeNull();
    expect(await db.syncRun.findMany({ where: { id: { in: runIds } }, select: { status: true } })).toEqual(
      runIds.map(() => ({ status: "cancelled" })),
    );
    const audits = () =>
      db.auditEvent.count({
        where: { installationId: installation.installationId, action: "installation.removed" },
      });
    expect(await audits()).toBe(1);

    // OfficeRnD delivers it again (same event id): 200, nothing new.
    const [delivery] = await emulator.control<{ body: string }[]>(
      `/_emulator/deliveries?webhookId=${remoteId}&eventType=integration.removed`,
    );
    const resend = (body: string) =>
      fetch(hookUrl(installation.installationId), {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "officernd-signature": signWebhook(body, secret, Math.floor(Date.now() / 1000)),
        },
        body,
      });
    expect((await resend(delivery!.body)).status).toBe(200);
    await processPending(installation.installationId);
    expect(await audits()).toBe(1);

    // The organisation reconnects (Connect bumps the generation, stores new tokens).
    const tokens = await emulator.control<{ access_token: string; refresh_token: string }>(
      "/_emulator/tokens",
      {
        org: ORG,
        scope: "officernd.api.read officernd.api.write",
      },
    );
    const id = installation.installationId;
    await db.installation.update({
      where: { id },
      data: {
        status: "active",
        removedAt: null,
        syncEnabled: true,
        generation: { increment: 1 },
        connectedAt: new Date(),
        accessTokenEnc: encryptSecret(tokens.access_token, `installation:${id}:access`),
        refreshTokenEnc: encryptSecret(tokens.refresh_token, `installation:${id}:refresh`),
        tokenExpiresAt: new Date(Date.now() + 3_000_000),
      },
    });
    // A late copy of the old removal (another delivery id, created before the reconnect) is ignored.
    const original = JSON.parse(delivery!.body) as { createdAt: string };
    const late = JSON.stringify({
      ...original,
      id: randomUUID(),
      createdAt: new Date(Date.parse(original.createdAt) - 1000).toISOString(),
    });
    expect((await resend(late)).status).toBe(200);
    await processPending(installation.installationId);
    const lateEvent = await db.webhookEvent.findFirstOrThrow({
      where: { installationId: id, dedupeKey: { contains: JSON.parse(late).id } },
    });
    expect(lateEvent).toMatchObject({ status: "ignored", error: "removal predates the current connection" });
    expect((await db.installation.findUniqueOrThrow({ where: { id } })).status).toBe("active");
    expect(await audits()).toBe(1);

    // The new connection works: a full sync succeeds.
    await syncEverything(installation);
    expect(await compareWithEmulator({ emulator, installation })).toEqual([]);
  });

  it("received before a reconnect but processed after it, is ignored", async () => {
    const installation = await connectInstallation({ emulator, org: ORG });
    const eventId = randomUUID();
    await db.webhookEvent.create({
      data: {
        id: eventId,
        installationId: installation.installationId,
        dedupeKey: `${installation.installationId}:id:${eventId}`,
        eventType: "integration.removed",
        objectId: installation.integrationId,
        payload: { eventType: "integration.removed", data: { object: { _id: installation.integrationId } } },
        signedAt: new Date(Date.now() - 60_000),
        receivedAt: new Date(Date.now() - 60_000),
      },
    });
    await db.installation.update({
      where: { id: installation.installationId },
      data: { generation: { increment: 1 }, connectedAt: new Date() },
    });
    expect(await processWebhookEvent(eventId)).toMatchObject({ status: "ignored" });
    expect(
      (await db.installation.findUniqueOrThrow({ where: { id: installation.installationId } })).status,
    ).toBe("active");
  });

  it("of another integration in the same organisation is ignored", async () => {
    const installation = await connectInstallation({ emulator, org: ORG });
    const eventId = randomUUID();
    await db.webhookEvent.create({
      data: {
        id: eventId,
        installationId: installation.installationId,
        dedupeKey: `test:${eventId}`,
        eventType: "integration.removed",
        objectId: "someone-else",
        payload: { eventType: "integration.removed", data: { object: { _id: "someone-else" } } },
        signedAt: new Date(),
      },
    });
    expect(await processWebhookEvent(eventId)).toMatchObject({
      status: "ignored",
      detail: "removal of another integration",
    });
    expect(
      (await db.installation.findUniqueOrThrow({ where: { id: installation.installationId } })).status,
    ).toBe("active");
  });
});

describe("teardownInstallation (Disconnect)", () => {
  it("deletes our webhook subscriptions at OfficeRnD when asked, is idempotent, and respects the generation", async () => {
    const installation = await connectInstallation({ emulator, org: ORG });
    const { remoteId } = await subscribeWebhooks({
      emulator,
      installation,
      url: hookUrl(installation.installationId),
    });
    const stale = await teardownInstallation({
      installationId: installation.installationId,
      actor: "user:test",
      reason: "disconnect",
      expectedGeneration: 99,
    });
    expect(stale.outcome).toBe("stale_generation");

    const first = await teardownInstallation({
      installationId: installation.installationId,
      actor: "user:test",
      reason: "disconnect",
      deleteRemoteWebhooks: true,
    });
    expect(first).toMatchObject({ outcome: "removed", remoteWebhooks: { deleted: 1, failed: 0 } });
    const remaining = await emulator.control<{ _id: string }[]>(`/_emulator/webhooks?org=${ORG}`);
    expect(remaining.map((webhook) => webhook._id)).not.toContain(remoteId);
    expect(
      await db.webhookSubscription.count({ where: { installationId: installation.installationId } }),
    ).toBe(0);

    const again = await teardownInstallation({
      installationId: installation.installationId,
      actor: "user:test",
      reason: "disconnect",
      deleteRemoteWebhooks: true,
    });
    expect(again).toMatchObject({ outcome: "already_removed", remoteWebhooks: { deleted: 0 } });
  });
});

describe("the worker", () => {
  it("runs syncs and webhook jobs from pg-boss and writes its heartbeat", async () => {
    const worker = await startWorker({ concurrency: 2, pollingIntervalSeconds: 0.5 });
    try {
      expect(await db.workerHeartbeat.findUnique({ where: { id: worker.id } })).not.toBeNull();
      const installation = await connectInstallation({ emulator, org: ORG });
      await subscribeWebhooks({ emulator, installation, url: hookUrl(installation.installationId) });
      const { runIds } = await requestSync({ installationId: installation.installationId, trigger: "test" });
      await waitFor(
        async () =>
          (await db.syncRun.count({ where: { id: { in: runIds }, status: "succeeded" } })) === runIds.length,
      );
      expect(await compareWithEmulator({ emulator, installation })).toEqual([]);

      await makeChanges(installation.locationIds[2]!);
      expect((await idle()).idle).toBe(true);
      await waitFor(
        async () =>
          (await db.webhookEvent.count({
            where: { installationId: installation.installationId, status: "received" },
          })) === 0,
      );
      expect(await compareWithEmulator({ emulator, installation })).toEqual([]);
    } finally {
      await worker.stop();
    }
    expect(await db.workerHeartbeat.findUnique({ where: { id: worker.id } })).toBeNull();
  }, 60_000);
});

async function waitFor(check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("timed out waiting");
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
