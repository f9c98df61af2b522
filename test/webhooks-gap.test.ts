// Issue 13 part 3, webhook-gap detection and healing, against real Postgres and the emulator over HTTP:
// the emulator drops deliveries and deletes our subscription behind our back; the check finds the
// changes no webhook announced, records "webhooks missed: N changes since HH:MM UTC", heals them with an
// incremental sync (the copy equals OfficeRnD again) and recreates the subscription.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST } from "@/app/api/webhooks/officernd/[installationId]/route";
import { db } from "@/lib/db";
import { stopSender } from "@/lib/jobs/boss";
import { executeRun } from "@/lib/sync/engine";
import { requestSync } from "@/lib/sync/request-sync";
import { claimNextRun } from "@/lib/sync/run-claim";
import { closeSqlPool } from "@/lib/sql-pool";
import { processWebhookEvent } from "@/lib/webhooks/process-event";
import { reconcileDueInstallations, reconcileInstallationWebhooks } from "@/lib/webhooks/reconcile";
import {
  compareWithEmulator,
  connectInstallation,
  emulatorRecords,
  subscribeWebhooks,
  type ConnectedInstallation,
} from "../bench/lib/emulator-org";
import { startEmulatorProcess, type EmulatorProcess } from "./support/emulator";
import { useOfficeRnd } from "./support/officernd-env";

const ORG = "acme-coworking";
let emulator: EmulatorProcess;
let relay: Server;
let relayUrl: string;

beforeAll(async () => {
  process.env.OFFICERND_API_REQUESTS_PER_MINUTE = "100000";
  emulator = await startEmulatorProcess([
    "--members",
    "80",
    "--companies",
    "12",
    "--read-rate-limit",
    "0",
    "--webhook-retry-base-ms",
    "50",
  ]);
  await useOfficeRnd(emulator.url);
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
  // Recreated subscriptions point at APP_URL: make that the relay.
  process.env.APP_URL = relayUrl;
  const { resetEnvForTests } = await import("@/lib/env");
  resetEnvForTests();
}, 60_000);

afterAll(async () => {
  await stopSender();
  await closeSqlPool();
  await new Promise((resolve) => relay?.close(resolve));
  await emulator?.stop();
});

const hookUrl = (installationId: string) => `${relayUrl}/api/webhooks/officernd/${installationId}`;
const idle = () => emulator.control<{ idle: boolean }>("/_emulator/deliveries/idle?timeoutMs=10000", {});
/** The check runs later than the changes: past the grace period for deliveries in flight. */
const later = (minutes: number) => new Date(Date.now() + minutes * 60_000);

async function runQueued(installation: ConnectedInstallation): Promise<void> {
  for (const locationId of [...installation.locationIds, null]) {
    for (;;) {
      const claim = await claimNextRun({ installationId: installation.installationId, locationId });
      if (claim.kind !== "claimed") break;
      await executeRun(claim.run);
    }
  }
}

async function processPending(installationId: string): Promise<number> {
  const events = await db.webhookEvent.findMany({
    where: { installationId, status: "received" },
    orderBy: { receivedAt: "asc" },
    select: { id: true },
  });
  for (const event of events) await processWebhookEvent(event.id);
  return events.length;
}

async function setUp(): Promise<{ installation: ConnectedInstallation; remoteId: string }> {
  const locations = await emulatorRecords(emulator, ORG, "locations");
  const installation = await connectInstallation({
    emulator,
    org: ORG,
    locationIds: [locations[0]!._id, locations[1]!._id],
  });
  const { remoteId } = await subscribeWebhooks({
    emulator,
    installation,
    url: hookUrl(installation.installationId),
  });
  await requestSync({ installationId: installation.installationId, trigger: "test", kind: "full" });
  await runQueued(installation);
  expect(await compareWithEmulator({ emulator, installation })).toEqual([]);
  return { installation, remoteId };
}

async function activeMembers(locationId: string) {
  return (await emulatorRecords(emulator, ORG, "members", locationId)).filter(
    (member) => member.status === "active",
  );
}

describe("webhook-gap detection and healing", () => {
  it("finds changes whose webhooks were dropped, records the gap, heals it with an incremental sync", async () => {
    const { installation } = await setUp();
    const members = await activeMembers(installation.locationIds[0]!);
    expect((await reconcileInstallationWebhooks(installation.installationId, { now: later(3) })).missed).toBe(
      0,
    );

    // One change arrives; the next three are lost (OfficeRnD gave up on them).
    await emulator.control(
      `/_emulator/orgs/${ORG}/members/${members[0]!._id}`,
      { name: "Heard About" },
      "PATCH",
    );
    expect((await idle()).idle).toBe(true);
    await emulator.control("/_emulator/webhook-drops", { count: 3 });
    await emulator.control(
      `/_emulator/orgs/${ORG}/members/${members[1]!._id}`,
      { name: "Never Heard 1" },
      "PATCH",
    );
    await emulator.control(
      `/_emulator/orgs/${ORG}/members/${members[2]!._id}`,
      { status: "former" },
      "PATCH",
    );
    await emulator.control(`/_emulator/orgs/${ORG}/companies`, {
      name: "Never Heard Co",
      location: installation.locationIds[1],
    });
    expect((await idle()).idle).toBe(true);
    expect(await processPending(installation.installationId)).toBe(1);
    expect(await compareWithEmulator({ emulator, installation })).not.toEqual([]);

    const result = await reconcileInstallationWebhooks(installation.installationId, { now: later(4) });
    expect(result).toMatchObject({ missed: 3, hasMore: false, error: null, subscription: { state: "ok" } });
    expect(result.message).toMatch(/^webhooks missed: 3 changes since \d\d:\d\d UTC$/);
    expect(result.healRunIds.length).toBeGreaterThan(0);
    const health = await db.webhookHealth.findUniqueOrThrow({
      where: { installationId: installation.installationId },
    });
    expect(health).toMatchObject({ missedChanges: 3, totalMissed: 3, lastGapMessage: result.message });
    const { metrics } = await import("@/lib/metrics");
    const scrape = await metrics.registry.metrics();
    expect(scrape).toMatch(/^officernd_webhook_gap_installations [1-9]/m);
    expect(scrape).toMatch(/^officernd_webhook_missed_changes\{window="last_check"\} [3-9]/m);
    const { loadDeliveryHealth } = await import("@/lib/webhooks/delivery-health");
    expect(await loadDeliveryHealth(installation.installationId)).toMatchObject({
      missedChanges: 3,
      lastGapMessage: result.message,
      subscriptionState: "ok",
    });
    const audit = await db.auditEvent.findFirst({
      where: { installationId: installation.installationId, action: "webhooks.gap_healed" },
    });
    expect(audit?.after).toMatchObject({ missed: 3 });

    // The heal: the queued incremental runs bring the copy level with OfficeRnD.
    const runs = await db.syncRun.findMany({
      where: { id: { in: result.healRunIds } },
      select: { kind: true, trigger: true },
    });
    expect(runs.every((run) => run.trigger === "webhook.gap")).toBe(true);
    await runQueued(installation);
    expect(await compareWithEmulator({ emulator, installation })).toEqual([]);

    // The next check finds nothing new.
    expect(await reconcileInstallationWebhooks(installation.installationId, { now: later(5) })).toMatchObject(
      { missed: 0 },
    );
    expect(
      await db.webhookHealth.findUniqueOrThrow({ where: { installationId: installation.installationId } }),
    ).toMatchObject({
      missedChanges: 0,
      totalMissed: 3,
    });
  });

  it("recreates a subscription deleted at OfficeRnD, heals what it missed, and events flow again", async () => {
    const { installation, remoteId } = await setUp();
    const members = await activeMembers(installation.locationIds[1]!);
    await emulator.control(`/_emulator/webhooks/${remoteId}`, undefined, "DELETE");
    await emulator.control(
      `/_emulator/orgs/${ORG}/members/${members[0]!._id}`,
      { name: "Sent To Nobody" },
      "PATCH",
    );
    expect((await idle()).idle).toBe(true);

    const result = await reconcileInstallationWebhooks(installation.installationId, { now: later(3) });
    expect(result).toMatchObject({ missed: 1, subscription: { state: "recreated" } });
    const [newRemoteId] = result.subscription!.remoteIds;
    expect(newRemoteId).not.toBe(remoteId);
    const remote = await emulator.control<{ _id: string; url: string }[]>(`/_emulator/webhooks?org=${ORG}`);
    expect(remote.find((webhook) => webhook._id === newRemoteId)?.url).toBe(
      hookUrl(installation.installationId),
    );
    const stored = await db.webhookSubscription.findMany({
      where: { installationId: installation.installationId },
      select: { remoteId: true },
    });
    expect(stored).toEqual([{ remoteId: newRemoteId }]);
    expect(
      await db.webhookHealth.findUniqueOrThrow({ where: { installationId: installation.installationId } }),
    ).toMatchObject({
      subscriptionMissingSince: null,
      subscriptionRecreatedAt: expect.any(Date) as Date,
    });
    await runQueued(installation);

    // A change after the repair reaches us, signed with the new subscription's secret.
    await emulator.control(
      `/_emulator/orgs/${ORG}/members/${members[1]!._id}`,
      { name: "Heard Again" },
      "PATCH",
    );
    expect((await idle()).idle).toBe(true);
    expect(await processPending(installation.installationId)).toBe(1);
    expect(await compareWithEmulator({ emulator, installation })).toEqual([]);
  });

  it("never recreates on a guess: a failing list leaves the subscription alone and records why", async () => {
    const { installation, remoteId } = await setUp();
    // Every attempt fails (the list is retried a little before the failure is recorded).
    await emulator.control("/_emulator/faults", {
      path: "/api/v2/organizations/*/webhooks",
      method: "GET",
      status: 503,
      times: 3,
    });
    const result = await reconcileInstallationWebhooks(installation.installationId, { now: later(3) });
    expect(result.subscription).toBeNull();
    expect(result.error).toMatch(/503/);
    expect(
      await db.webhookSubscription.findMany({
        where: { installationId: installation.installationId },
        select: { remoteId: true },
      }),
    ).toEqual([{ remoteId }]);
    expect(
      (await db.webhookHealth.findUniqueOrThrow({ where: { installationId: installation.installationId } }))
        .subscriptionError,
    ).toMatch(/503/);
    await emulator.control("/_emulator/faults", undefined, "DELETE");
  });

  it("the maintenance share checks installations once per WEBHOOK_RECONCILE_MINUTES", async () => {
    const { installation } = await setUp();
    await db.installation.update({
      where: { id: installation.installationId },
      data: { connectedAt: new Date(Date.now() - 60 * 60_000) },
    });
    const first = await reconcileDueInstallations(later(3));
    expect(first.map((result) => result.installationId)).toContain(installation.installationId);
    const again = await reconcileDueInstallations(later(4));
    expect(again.map((result) => result.installationId)).not.toContain(installation.installationId);
    const afterInterval = await reconcileDueInstallations(later(3 + 16));
    expect(afterInterval.map((result) => result.installationId)).toContain(installation.installationId);
  });
});
