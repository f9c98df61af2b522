import { createHmac } from "node:crypto";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ACME, GLOBEX, startHarness, type Harness, type Json } from "./support/harness";
import { startReceiver, type Received } from "./support/receiver";

// Webhooks out (spec §3b–§3e): signed POSTs to each enabled, matching subscription of the org, the
// event envelope, retries with backoff on non-2xx and timeouts, and the delivery log.

let emulator: Harness;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let failuresLeft = 0;

beforeAll(async () => {
  emulator = await startHarness({ webhookRetryBaseMs: 20, webhookTimeoutMs: 300 });
  receiver = await startReceiver(() => {
    if (failuresLeft > 0) {
      failuresLeft -= 1;
      return { status: 503 };
    }
    return { status: 200, body: { status: "received" } };
  });
});
afterAll(async () => {
  await emulator.close();
  await receiver.close();
});
beforeEach(async () => {
  await emulator.control("/reset", {});
  receiver.received.length = 0;
  failuresLeft = 0;
});
afterEach(() => emulator.control("/deliveries/idle?timeoutMs=5000", {}));

async function subscribe(eventTypes: string[], { org = ACME, path = "/hook", isEnabled = true } = {}) {
  const token = await emulator.token(undefined, org);
  const response = await emulator.api(`/api/v2/organizations/${org}/webhooks`, token, {
    method: "POST",
    body: JSON.stringify({ url: `${receiver.url}${path}`, eventTypes, isEnabled }),
  });
  return response.body as { _id: string; secret: string };
}

/** The partner-side check of spec §3b, written independently of the emulator's signer. */
function verify(request: Received, secret: string): boolean {
  const header = String(request.headers["officernd-signature"] ?? "");
  const [tPart, signaturePart] = header.split(",");
  const t = tPart?.split("=")[1] ?? "";
  const signature = signaturePart?.split("=")[1] ?? "";
  const expected = createHmac("sha256", secret).update(`${request.rawBody}.${t}`).digest("hex");
  return signature === expected && Math.abs(Date.now() / 1000 - Number(t)) < 60;
}

describe("delivery", () => {
  it("signs member.created with officernd-signature over '<raw body>.<t>'", async () => {
    const webhook = await subscribe(["member.created"]);
    const member = await emulator.control(`/orgs/${ACME}/members`, { name: "Ada Lovelace" });
    await receiver.waitFor(1);
    const [request] = receiver.received;
    if (!request) throw new Error("no request");
    expect(request.method).toBe("POST");
    expect(request.headers["content-type"]).toBe("application/json");
    expect(verify(request, webhook.secret)).toBe(true);
    const body = JSON.parse(request.rawBody);
    expect(body).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{24}$/),
      eventType: "member.created",
      data: { object: member },
      createdAt: expect.any(String),
    });
  });

  it("signs with real time even when the emulator clock is shifted", async () => {
    const webhook = await subscribe(["member.created"]);
    await emulator.control("/clock", { seconds: 7200 });
    await emulator.control(`/orgs/${ACME}/members`, {});
    await receiver.waitFor(1);
    const [request] = receiver.received;
    if (!request) throw new Error("no request");
    expect(verify(request, webhook.secret)).toBe(true);
  });

  it("sends previousAttributes on updates and the removed object on removals", async () => {
    await subscribe(["company.updated", "company.removed"]);
    const company = (await emulator.snapshot(ACME, "companies"))[0];
    await emulator.control(`/orgs/${ACME}/companies/${company._id}`, { name: "Renamed Ltd" }, "PATCH");
    await emulator.control(`/orgs/${ACME}/companies/${company._id}`, undefined, "DELETE");
    await receiver.waitFor(2);
    const [updated, removed] = receiver.received.map((request) => JSON.parse(request.rawBody));
    expect(updated.eventType).toBe("company.updated");
    expect(updated.data.object.name).toBe("Renamed Ltd");
    expect(updated.data.previousAttributes).toEqual({ name: company.name, modifiedAt: company.modifiedAt });
    expect(removed).toMatchObject({
      eventType: "company.removed",
      data: { object: { _id: company._id, name: "Renamed Ltd" } },
    });
  });

  it("only delivers to enabled subscriptions of the same organisation that name the event", async () => {
    await subscribe(["member.created"], { path: "/wanted" });
    await subscribe(["member.created"], { path: "/disabled", isEnabled: false });
    await subscribe(["member.removed"], { path: "/other-event" });
    await subscribe(["member.created"], { org: GLOBEX, path: "/other-org" });
    await emulator.control(`/orgs/${ACME}/members`, {});
    await emulator.control("/deliveries/idle", {});
    expect(receiver.received.map((request) => request.url.pathname)).toEqual(["/wanted"]);
  });

  it("delivers integration.removed with the integration minus its secret", async () => {
    await subscribe(["integration.removed"]);
    const state = await emulator.state();
    const location = state.organizations[0]?.locations[1]?._id;
    const integration = await emulator.control("/integrations", { org: ACME, locations: [location] });
    await emulator.control(`/integrations/${integration._id}`, undefined, "DELETE");
    await receiver.waitFor(1);
    const body = JSON.parse(receiver.received[0]?.rawBody ?? "{}");
    expect(body.eventType).toBe("integration.removed");
    expect(body.data.object).toEqual({
      _id: integration._id,
      type: "Custom Integration",
      settings: { appClientId: "demo-partner-app", isExternal: true },
      locations: [location],
    });
  });

  it("omits id and createdAt when event ids are switched off", async () => {
    await emulator.control("/config", { eventIds: false });
    await subscribe(["member.created"]);
    await emulator.control(`/orgs/${ACME}/members`, {});
    await receiver.waitFor(1);
    expect(Object.keys(JSON.parse(receiver.received[0]?.rawBody ?? "{}"))).toEqual(["eventType", "data"]);
  });
});

describe("retries", () => {
  it("retries a failing receiver with growing delays and the same body and event id", async () => {
    failuresLeft = 2;
    await subscribe(["member.created"]);
    await emulator.control(`/orgs/${ACME}/members`, {});
    await receiver.waitFor(3);
    const [first, second, third] = receiver.received;
    expect(new Set(receiver.received.map((request) => request.rawBody)).size).toBe(1);
    expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(15);
    expect((third?.at ?? 0) - (second?.at ?? 0)).toBeGreaterThanOrEqual(35);
    await emulator.control("/deliveries/idle", {});
    const [delivery] = await emulator.control<Json[]>("/deliveries?eventType=member.created");
    expect(delivery.status).toBe("succeeded");
    expect(delivery.attempts.map((attempt: Json) => attempt.statusCode)).toEqual([503, 503, 200]);
    expect(
      delivery.attempts.every((attempt: Json) => typeof attempt.durationMs === "number" && attempt.startedAt),
    ).toBe(true);
  });

  it("gives up after webhookMaxAttempts and logs the failure", async () => {
    await emulator.control("/config", { webhookMaxAttempts: 3 });
    failuresLeft = 10;
    await subscribe(["member.created"]);
    await emulator.control(`/orgs/${ACME}/members`, {});
    await emulator.control("/deliveries/idle", {});
    const [delivery] = await emulator.control<Json[]>("/deliveries");
    expect(delivery).toMatchObject({
      status: "failed",
      webhookId: expect.any(String),
      url: `${receiver.url}/hook`,
    });
    expect(delivery.attempts).toHaveLength(3);
    expect(receiver.received).toHaveLength(3);
  });

  it("treats a slow receiver as a timeout and retries", async () => {
    const slow = await startReceiver((_request, index) =>
      index === 0 ? { status: 200, delayMs: 1000 } : { status: 200 },
    );
    try {
      const token = await emulator.token();
      await emulator.api(`/api/v2/organizations/${ACME}/webhooks`, token, {
        method: "POST",
        body: JSON.stringify({ url: `${slow.url}/slow`, eventTypes: ["member.created"] }),
      });
      await emulator.control(`/orgs/${ACME}/members`, {});
      await emulator.control("/deliveries/idle", {});
      const [delivery] = await emulator.control<Json[]>("/deliveries");
      expect(delivery.attempts.map((attempt: Json) => attempt.error ?? attempt.statusCode)).toEqual([
        "timeout",
        200,
      ]);
    } finally {
      await slow.close();
    }
  });
});
