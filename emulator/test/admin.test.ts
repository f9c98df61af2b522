import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ACME, CLIENT, GLOBEX, startHarness, type Harness } from "./support/harness";
import { startReceiver } from "./support/receiver";

// The admin page and the routes behind its buttons (Playwright covers the pop-ups in a real browser).

let emulator: Harness;
let partner: Awaited<ReturnType<typeof startReceiver>>;
const HEALTHY = { status: 200, body: { accountName: "Partner Account" } };
let partnerAnswer: { status: number; body: unknown } = HEALTHY;

beforeAll(async () => {
  partner = await startReceiver(() => partnerAnswer);
  emulator = await startHarness({ partnerUrl: partner.url });
});
afterAll(async () => {
  await emulator.close();
  await partner.close();
});
beforeEach(async () => {
  partnerAnswer = HEALTHY;
  await emulator.control("/reset", {});
});

async function adminHtml(org = ACME): Promise<string> {
  const response = await fetch(`${emulator.url}/?org=${org}`);
  expect(response.headers.get("content-type")).toContain("text/html");
  return response.text();
}

describe("admin page", () => {
  it("shows the organisation, its locations and an empty state", async () => {
    const html = await adminHtml(GLOBEX);
    expect(html).toContain('<h1 id="org-heading">Globex Spaces</h1>');
    expect(html).toContain("Globex Sofia Center");
    expect(html).toContain("No integrations yet");
    expect(html).toMatch(/<button type="submit" class="primary">Add integration<\/button>/);
  });

  it("adds an integration from the form, for chosen locations, and lists it with its buttons", async () => {
    const location = (await emulator.state()).organizations[0]?.locations[1]?._id ?? "";
    const response = await emulator.request(`/admin/orgs/${ACME}/integrations`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams([
        ["scope", "chosen"],
        ["location", location],
      ]).toString(),
    });
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe(`/?org=${ACME}`);
    const [integration] = await emulator.control("/integrations");
    expect(integration.locations).toEqual([location]);
    const html = await adminHtml();
    expect(html).toContain(`data-integration-id="${integration._id}"`);
    for (const name of [
      "Connect",
      "Configure",
      "Healthcheck",
      "Sync on",
      "Sync off",
      "Remove integration",
      "Generate activity",
    ]) {
      expect(html).toMatch(new RegExp(`<button[^>]*>${name}</button>`));
    }
    expect(html).toContain("Not connected");
  });

  it("a deep link to one integration (?integration=<id>, the partner's Reconnect) marks only that card and says to press Connect", async () => {
    const [first, second] = [
      await emulator.control("/integrations", { org: ACME }),
      await emulator.control("/integrations", { org: ACME }),
    ];
    const response = await fetch(
      `${emulator.url}/?org=${ACME}&integration=${encodeURIComponent(second._id)}`,
    );
    const html = await response.text();
    const cards = html.split("<article").slice(1);
    const marked = cards.filter((card) => card.includes('data-highlighted="true"'));
    expect(marked).toHaveLength(1);
    expect(marked[0]).toContain(`data-integration-id="${second._id}"`);
    expect(marked[0]?.replace(/\s+/g, " ")).toContain(
      "Opened from the partner's configuration. Press Connect to connect it.",
    );
    expect(cards.find((card) => card.includes(first._id))).not.toContain('data-highlighted="true"');
    // An unknown id marks nothing.
    expect(await (await fetch(`${emulator.url}/?org=${ACME}&integration=nope`)).text()).not.toContain(
      'data-highlighted="true"',
    );
  });

  it("Connect issues a code and redirects to the partner's Connect URL with the four parameters", async () => {
    const integration = await emulator.control("/integrations", { org: ACME });
    const response = await emulator.request(`/admin/integrations/${integration._id}/connect`);
    expect(response.status).toBe(302);
    const target = new URL(response.headers.get("location") ?? "");
    expect(`${target.origin}${target.pathname}`).toBe(`${partner.url}/connect`);
    expect([...target.searchParams.keys()].sort()).toEqual([
      "code",
      "integrationId",
      "locations",
      "org_slug",
    ]);
    expect(target.searchParams.get("org_slug")).toBe(ACME);
    expect(target.searchParams.get("locations")).toBe("");
    expect(target.searchParams.get("integrationId")).toBe(integration._id);
    const tokens = await emulator.tokenRequest({
      grant_type: "authorization_code",
      client_id: CLIENT.id,
      client_secret: CLIENT.secret,
      code: target.searchParams.get("code") ?? "",
      redirect_uri: `${partner.url}/connect`,
      scope: "officernd.api.read",
    });
    expect(tokens.status).toBe(200);
    await emulator.api(
      `/api/v1/organizations/${ACME}/integrations/${integration._id}?appClientId=${CLIENT.id}`,
      tokens.body.access_token,
    );
    expect(await adminHtml()).toContain(">Connected<");
  });

  it("Configure redirects to a freshly signed Configuration URL", async () => {
    const integration = await emulator.control("/integrations", { org: ACME });
    const response = await emulator.request(`/admin/integrations/${integration._id}/configure`);
    expect(response.status).toBe(302);
    const target = new URL(response.headers.get("location") ?? "");
    expect(target.pathname).toBe("/configure");
    expect(target.searchParams.get("signature")).toMatch(/^t=\d+,signature=[0-9a-f]{64}$/);
  });

  it("Healthcheck, Sync and Generate activity answer JSON for the page to show", async () => {
    const integration = await emulator.control("/integrations", { org: ACME });
    const health = await emulator.request(`/admin/integrations/${integration._id}/signed-call`, {
      method: "POST",
      body: JSON.stringify({ target: "healthcheck" }),
    });
    expect(health.body).toMatchObject({ status: 200, body: { accountName: "Partner Account" } });
    const sync = await emulator.request(`/admin/integrations/${integration._id}/signed-call`, {
      method: "POST",
      body: JSON.stringify({ target: "sync", enabled: true }),
    });
    expect(sync.body.url).toContain("enabled=true");
    const activity = await emulator.request(`/admin/integrations/${integration._id}/activity`, {
      method: "POST",
      body: "{}",
    });
    expect(activity.body.changes).toHaveLength(6);
  });

  it("Remove integration deletes it and publishes integration.removed", async () => {
    const integration = await emulator.control("/integrations", { org: ACME });
    const response = await emulator.request(`/admin/integrations/${integration._id}/remove`, {
      method: "POST",
      body: "{}",
    });
    expect(response.body).toMatchObject({ removed: integration._id, eventId: expect.any(String) });
    expect(await emulator.control("/integrations")).toEqual([]);
    const [event] = await emulator.control("/events?eventType=integration.removed");
    expect(event.data.object._id).toBe(integration._id);
  });

  it("serves the return page that notifies the opener and closes itself", async () => {
    const html = await (await fetch(`${emulator.url}/connect/external-integration/return?ok=1`)).text();
    expect(html).toContain("window.opener.postMessage");
    expect(html).toContain("window.close()");
  });

  it("the return page says what the partner's healthcheck says for the integration this browser was connecting", async () => {
    const integration = await emulator.control("/integrations", { org: ACME });
    const connect = await emulator.request(`/admin/integrations/${integration._id}/connect`);
    const cookie = (connect.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
    const returnPage = async () =>
      (await fetch(`${emulator.url}/connect/external-integration/return`, { headers: { cookie } })).text();
    partnerAnswer = {
      status: 404,
      body: { error: "not_connected", message: "This integration is not connected to any account." },
    };
    const afterCancel = await returnPage();
    expect(afterCancel).toContain("Integration not connected");
    expect(afterCancel).toContain("This integration is not connected to any account.");
    expect(afterCancel).not.toContain("window.close(), 300");
    partnerAnswer = { status: 200, body: { accountName: "J&J Ltd" } };
    expect(await returnPage()).toContain("Connected to J&amp;J Ltd.");
  });

  it("escapes values it renders", async () => {
    await emulator.control(`/orgs/${ACME}/locations`, { name: "<script>alert(1)</script>" });
    const html = await adminHtml();
    expect(html).not.toContain("<script>alert(1)</script>");
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
  });
});
