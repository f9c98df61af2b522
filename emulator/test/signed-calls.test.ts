import { createHmac } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ACME, startHarness, type Harness } from "./support/harness";
import { startReceiver, type Received } from "./support/receiver";

// Signed GETs to the partner's Healthcheck, Configuration and Sync URLs (spec §2, §3a), received by a
// stand-in partner that verifies them the way the official sample does.

let emulator: Harness;
let partner: Awaited<ReturnType<typeof startReceiver>>;
let organizationId: string;
let adminUserId: string;
let locationIds: string[];

beforeAll(async () => {
  partner = await startReceiver((request) =>
    request.url.pathname.endsWith("/healthcheck")
      ? { status: 200, body: { accountName: "J&J Ltd" } }
      : { status: 200, body: { ok: true } },
  );
  emulator = await startHarness({ partnerUrl: partner.url });
});
afterAll(async () => {
  await emulator.close();
  await partner.close();
});
beforeEach(async () => {
  await emulator.control("/reset", {});
  partner.received.length = 0;
  const state = await emulator.state();
  const acme = state.organizations[0];
  organizationId = acme?._id ?? "";
  adminUserId = acme?.adminUserId ?? "";
  locationIds = acme?.locations.map((location) => location._id) ?? [];
});

/** Verifies a signed query as the partner must: JSON.stringify of the received params minus signature. */
function verifyQuery(params: URLSearchParams, secret: string) {
  const [tPart, signaturePart] = (params.get("signature") ?? "").split(",");
  const t = tPart?.replace(/^t=/, "") ?? "";
  const payload = Object.fromEntries([...params.entries()].filter(([key]) => key !== "signature"));
  const expected = createHmac("sha256", secret)
    .update(`${JSON.stringify(payload)}.${t}`)
    .digest("hex");
  return { isValid: signaturePart === `signature=${expected}`, t: Number(t), payload };
}

function lastRequest(): Received {
  const request = partner.received[partner.received.length - 1];
  if (!request) throw new Error("the partner received nothing");
  return request;
}

describe("healthcheck", () => {
  it("sends slug, locations, organizationId in order, signed with the integration secret, and reports the answer", async () => {
    const integration = await emulator.control("/integrations", {
      org: ACME,
      locations: [locationIds[0], locationIds[2]],
    });
    const result = await emulator.control("/signed-call", {
      integrationId: integration._id,
      target: "healthcheck",
    });
    expect(result).toMatchObject({ status: 200, body: { accountName: "J&J Ltd" } });
    const request = lastRequest();
    expect(request.method).toBe("GET");
    expect(request.url.pathname).toBe("/api/officernd/healthcheck");
    expect([...request.url.searchParams.keys()]).toEqual([
      "slug",
      "locations",
      "organizationId",
      "signature",
    ]);
    const { isValid, t, payload } = verifyQuery(request.url.searchParams, integration.secret);
    expect(isValid).toBe(true);
    expect(Math.abs(t - Date.now() / 1000)).toBeLessThan(5);
    expect(payload).toEqual({ slug: ACME, locations: `${locationIds[0]},${locationIds[2]}`, organizationId });
    expect(result.url).toBe(`${partner.url}${request.url.pathname}${request.url.search}`);
  });

  it("sends locations as an empty string for an all-locations integration and memberId when given", async () => {
    const integration = await emulator.control("/integrations", { org: ACME });
    await emulator.control("/signed-call", {
      integrationId: integration._id,
      target: "healthcheck",
      memberId: "5bcf48410467da0f003f474d",
    });
    const { isValid, payload } = verifyQuery(lastRequest().url.searchParams, integration.secret);
    expect(isValid).toBe(true);
    expect(payload).toEqual({
      slug: ACME,
      locations: "",
      organizationId,
      memberId: "5bcf48410467da0f003f474d",
    });
  });

  it("shifts the signing timestamp by timestampOffset", async () => {
    const integration = await emulator.control("/integrations", { org: ACME });
    await emulator.control("/signed-call", {
      integrationId: integration._id,
      target: "healthcheck",
      timestampOffset: -3600,
    });
    const { isValid, t } = verifyQuery(lastRequest().url.searchParams, integration.secret);
    expect(isValid).toBe(true);
    expect(Date.now() / 1000 - t).toBeGreaterThan(3590);
  });
});

describe("sync", () => {
  it("adds a signed enabled parameter before signature and wraps organizationId in quotes", async () => {
    const integration = await emulator.control("/integrations", { org: ACME });
    const result = await emulator.control("/signed-call", {
      integrationId: integration._id,
      target: "sync",
      enabled: false,
    });
    expect(result.status).toBe(200);
    const params = lastRequest().url.searchParams;
    expect([...params.keys()]).toEqual(["slug", "locations", "organizationId", "enabled", "signature"]);
    const { isValid, payload } = verifyQuery(params, integration.secret);
    expect(isValid).toBe(true);
    expect(payload).toEqual({
      slug: ACME,
      locations: "",
      organizationId: `"${organizationId}"`,
      enabled: "false",
    });
    expect((await emulator.control(`/integrations/${integration._id}`)).syncEnabled).toBe(false);
  });

  it("sends a bare organizationId when the quirk is switched off", async () => {
    await emulator.control("/config", { quoteSyncOrganizationId: false });
    const integration = await emulator.control("/integrations", { org: ACME });
    await emulator.control("/signed-call", { integrationId: integration._id, target: "sync", enabled: true });
    expect(verifyQuery(lastRequest().url.searchParams, integration.secret).payload).toMatchObject({
      organizationId,
      enabled: "true",
    });
  });
});

describe("configure", () => {
  it("returns a freshly signed Configuration URL with the admin's memberId, without calling it", async () => {
    const integration = await emulator.control("/integrations", { org: ACME, locations: [locationIds[3]] });
    const { url } = await emulator.control("/signed-call", {
      integrationId: integration._id,
      target: "configure",
    });
    expect(partner.received).toHaveLength(0);
    const parsed = new URL(url);
    expect(`${parsed.origin}${parsed.pathname}`).toBe(`${partner.url}/configure`);
    const { isValid, payload } = verifyQuery(parsed.searchParams, integration.secret);
    expect(isValid).toBe(true);
    expect(payload).toEqual({ slug: ACME, locations: locationIds[3], organizationId, memberId: adminUserId });
  });

  it("reports an unreachable partner without failing", async () => {
    await emulator.control("/config", { partnerUrl: "http://127.0.0.1:9" });
    const integration = await emulator.control("/integrations", { org: ACME });
    const result = await emulator.control("/signed-call", {
      integrationId: integration._id,
      target: "healthcheck",
    });
    expect(result).toMatchObject({ status: null, body: null, error: expect.any(String) });
  });
});
