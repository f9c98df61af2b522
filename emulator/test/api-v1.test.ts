import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ACME, CLIENT, GLOBEX, startHarness, type Harness } from "./support/harness";

// API v1 as the partner's Connect flow uses it (spec §2 steps 2–4), plus v2's integration endpoint.

let emulator: Harness;
beforeAll(async () => {
  emulator = await startHarness();
});
afterAll(() => emulator.close());
beforeEach(() => emulator.control("/reset", {}));

async function connectedToken(org = ACME) {
  const integration = await emulator.control("/integrations", { org });
  const { code } = await emulator.control("/authorization-codes", { integrationId: integration._id });
  const tokens = await emulator.tokenRequest({
    grant_type: "authorization_code",
    client_id: CLIENT.id,
    client_secret: CLIENT.secret,
    code,
    redirect_uri: "http://localhost:3000/connect",
    scope: "officernd.api.read officernd.api.write",
  });
  return { integration, token: tokens.body.access_token as string };
}

describe("API v1", () => {
  it("returns the organisation with regionInfo.regionUrl = the emulator's public URL", async () => {
    const { token } = await connectedToken();
    const response = await emulator.api(`/api/v1/organizations/${ACME}`, token);
    const state = await emulator.state();
    expect(response.body).toEqual({
      _id: state.organizations[0]?._id,
      name: "Acme Coworking",
      slug: ACME,
      createdAt: expect.any(String),
      regionInfo: { regionUrl: emulator.url },
    });
  });

  it("returns the integration with its secret for the matching appClientId, else 404", async () => {
    const { integration, token } = await connectedToken();
    const path = `/api/v1/organizations/${ACME}/integrations/${integration._id}`;
    const found = await emulator.api(`${path}?appClientId=${CLIENT.id}`, token);
    expect(found.body).toEqual({
      _id: integration._id,
      type: "Custom Integration",
      user: expect.stringMatching(/^[0-9a-f]{24}$/),
      settings: { appClientId: CLIENT.id, secret: integration.secret, isExternal: true },
      locations: [],
    });
    expect((await emulator.api(`${path}?appClientId=other-app`, token)).status).toBe(404);
    expect((await emulator.api(path, token)).status).toBe(404);
    const missing = await emulator.api(
      `/api/v1/organizations/${ACME}/integrations/000000000000000000000000?appClientId=${CLIENT.id}`,
      token,
    );
    expect(missing.body).toMatchObject({ statusCode: 404, error: "Not Found" });
    const view = await emulator.control(`/integrations/${integration._id}`);
    expect(view.connected).toBe(true);
  });

  it("registers a webhook and answers an array with the secret", async () => {
    const { token } = await connectedToken(GLOBEX);
    const response = await emulator.api(`/api/v1/organizations/${GLOBEX}/webhooks`, token, {
      method: "POST",
      body: JSON.stringify({
        url: "http://localhost:3000/api/webhooks/officernd/abc",
        eventTypes: ["integration.removed"],
        enabled: true,
        description: "removal",
      }),
    });
    expect(response.status).toBe(201);
    expect(response.body).toEqual([
      {
        _id: expect.any(String),
        url: "http://localhost:3000/api/webhooks/officernd/abc",
        description: "removal",
        eventTypes: ["integration.removed"],
        secret: expect.any(String),
        enabled: true,
      },
    ]);
  });

  it("lists locations as a bare array", async () => {
    const { token } = await connectedToken();
    const response = await emulator.api(`/api/v1/organizations/${ACME}/locations`, token);
    expect(response.body).toHaveLength(4);
    expect(response.body[0]).toMatchObject({ name: "Acme Shoreditch", timezone: "Europe/London" });
  });
});

describe("API v2 integrations/{id}", () => {
  it("returns the integration to its own application only, and 404 once removed", async () => {
    const { integration, token } = await connectedToken();
    const path = `/api/v2/organizations/${ACME}/integrations/${integration._id}`;
    expect((await emulator.api(path, token)).body.settings.secret).toBe(integration.secret);
    await emulator.control(`/integrations/${integration._id}`, undefined, "DELETE");
    expect((await emulator.api(path, token)).status).toBe(404);
  });
});
