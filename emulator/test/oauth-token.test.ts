import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ACME, CLIENT, startHarness, type Harness } from "./support/harness";

// POST /oauth/token (spec §1): form fields, grants, rotation, code rules, scopes and RFC 6749 errors.

let emulator: Harness;
const CONNECT_URL = "http://localhost:3000/connect";
const BOTH = "officernd.api.read officernd.api.write";

beforeAll(async () => {
  emulator = await startHarness();
});
afterAll(() => emulator.close());
beforeEach(() => emulator.control("/reset", {}));

async function issueCode(org = ACME) {
  const integration = await emulator.control("/integrations", { org });
  const issued = await emulator.control("/authorization-codes", { integrationId: integration._id });
  return { integration, ...issued };
}

function exchange(code: string, extra: Record<string, string> = {}) {
  return emulator.tokenRequest({
    grant_type: "authorization_code",
    client_id: CLIENT.id,
    client_secret: CLIENT.secret,
    code,
    redirect_uri: CONNECT_URL,
    scope: BOTH,
    ...extra,
  });
}

describe("request format", () => {
  it("refuses a JSON body with 400 invalid_request", async () => {
    const response = await emulator.request("/oauth/token", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        grant_type: "client_credentials",
        client_id: CLIENT.id,
        client_secret: CLIENT.secret,
        scope: BOTH,
      }),
    });
    expect(response.status).toBe(400);
    expect(response.body).toEqual({ error: "invalid_request", error_description: expect.any(String) });
  });

  it("answers unsupported_grant_type, invalid_request for a missing grant_type and for repeated fields", async () => {
    expect(
      (
        await emulator.tokenRequest({
          grant_type: "password",
          client_id: CLIENT.id,
          client_secret: CLIENT.secret,
        })
      ).body.error,
    ).toBe("unsupported_grant_type");
    expect(
      (await emulator.tokenRequest({ client_id: CLIENT.id, client_secret: CLIENT.secret })).body.error,
    ).toBe("invalid_request");
    const repeated = await emulator.request("/oauth/token", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "grant_type=client_credentials&scope=a&scope=b",
    });
    expect(repeated.body.error).toBe("invalid_request");
  });

  it("answers 401 invalid_client for a wrong secret or unknown client", async () => {
    const wrongSecret = await emulator.tokenRequest({
      grant_type: "client_credentials",
      client_id: CLIENT.id,
      client_secret: "nope",
      scope: BOTH,
    });
    const unknown = await emulator.tokenRequest({
      grant_type: "client_credentials",
      client_id: "someone",
      client_secret: CLIENT.secret,
      scope: BOTH,
    });
    for (const response of [wrongSecret, unknown]) {
      expect(response.status).toBe(401);
      expect(response.body.error).toBe("invalid_client");
    }
  });

  it("requires a known scope", async () => {
    const missing = await emulator.tokenRequest({
      grant_type: "client_credentials",
      client_id: CLIENT.id,
      client_secret: CLIENT.secret,
    });
    const unknown = await emulator.tokenRequest({
      grant_type: "client_credentials",
      client_id: CLIENT.id,
      client_secret: CLIENT.secret,
      scope: "admin",
    });
    expect([missing.status, missing.body.error]).toEqual([400, "invalid_scope"]);
    expect([unknown.status, unknown.body.error]).toEqual([400, "invalid_scope"]);
  });
});

describe("client_credentials", () => {
  it("answers {access_token, token_type, expires_in, scope} without a refresh token", async () => {
    const response = await emulator.tokenRequest({
      grant_type: "client_credentials",
      client_id: CLIENT.id,
      client_secret: CLIENT.secret,
      scope: "flex.community.members.read",
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(response.body).toEqual({
      access_token: expect.any(String),
      token_type: "Bearer",
      expires_in: 3600,
      scope: "flex.community.members.read",
    });
  });

  it("refuses write scopes once the application only has read permission", async () => {
    await emulator.control("/config", { appPermissions: ["read"] });
    const write = await emulator.tokenRequest({
      grant_type: "client_credentials",
      client_id: CLIENT.id,
      client_secret: CLIENT.secret,
      scope: BOTH,
    });
    const read = await emulator.tokenRequest({
      grant_type: "client_credentials",
      client_id: CLIENT.id,
      client_secret: CLIENT.secret,
      scope: "officernd.api.read",
    });
    expect(write.body.error).toBe("invalid_scope");
    expect(read.status).toBe(200);
  });
});

describe("authorization_code", () => {
  it("exchanges a Connect code for tokens bound to the code's organisation", async () => {
    const { code } = await issueCode("globex-spaces");
    const response = await exchange(code);
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      access_token: expect.any(String),
      token_type: "Bearer",
      expires_in: 3600,
      scope: BOTH,
      refresh_token: expect.any(String),
    });
    const own = await emulator.api("/api/v1/organizations/globex-spaces", response.body.access_token);
    const other = await emulator.api(`/api/v1/organizations/${ACME}`, response.body.access_token);
    expect(own.status).toBe(200);
    expect(other.status).toBe(403);
  });

  it("accepts the guide's redirect_url spelling", async () => {
    const { code } = await issueCode();
    const response = await emulator.tokenRequest({
      grant_type: "authorization_code",
      client_id: CLIENT.id,
      client_secret: CLIENT.secret,
      code,
      redirect_url: CONNECT_URL,
      scope: BOTH,
    });
    expect(response.status).toBe(200);
  });

  it("refuses a redirect URI other than the registered Connect URL, without burning the code", async () => {
    const { code } = await issueCode();
    const wrong = await exchange(code, { redirect_uri: "http://evil.test/connect" });
    expect([wrong.status, wrong.body.error]).toEqual([400, "invalid_grant"]);
    expect((await exchange(code)).status).toBe(200);
  });

  it("requires a redirect URI", async () => {
    const { code } = await issueCode();
    const response = await emulator.tokenRequest({
      grant_type: "authorization_code",
      client_id: CLIENT.id,
      client_secret: CLIENT.secret,
      code,
      scope: BOTH,
    });
    expect(response.body.error).toBe("invalid_request");
  });

  it("accepts a code once only", async () => {
    const { code } = await issueCode();
    expect((await exchange(code)).status).toBe(200);
    const again = await exchange(code);
    expect([again.status, again.body.error]).toEqual([400, "invalid_grant"]);
  });

  it("expires a code after 60 seconds", async () => {
    const { code, expiresAt } = await issueCode();
    expect(Date.parse(expiresAt) - Date.now()).toBeLessThanOrEqual(60_000);
    await emulator.control("/clock", { seconds: 61 });
    const response = await exchange(code);
    expect(response.body).toEqual({
      error: "invalid_grant",
      error_description: "authorization code has expired",
    });
  });

  it("marks the integration's token exchange", async () => {
    const { code, integration } = await issueCode();
    await exchange(code);
    const view = await emulator.control(`/integrations/${integration._id}`);
    expect(view.tokenExchangedAt).toEqual(expect.any(String));
    expect(view.connected).toBe(false);
  });
});

describe("refresh_token", () => {
  it("rotates: the new refresh token works, the old one stops working", async () => {
    const { code } = await issueCode();
    const first = (await exchange(code)).body;
    const refreshed = await emulator.tokenRequest({
      grant_type: "refresh_token",
      client_id: CLIENT.id,
      client_secret: CLIENT.secret,
      refresh_token: first.refresh_token,
    });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.refresh_token).not.toBe(first.refresh_token);
    expect(refreshed.body.scope).toBe(BOTH);
    const reused = await emulator.tokenRequest({
      grant_type: "refresh_token",
      client_id: CLIENT.id,
      client_secret: CLIENT.secret,
      refresh_token: first.refresh_token,
    });
    expect([reused.status, reused.body.error]).toEqual([400, "invalid_grant"]);
    const next = await emulator.tokenRequest({
      grant_type: "refresh_token",
      client_id: CLIENT.id,
      client_secret: CLIENT.secret,
      refresh_token: refreshed.body.refresh_token,
      scope: "officernd.api.read",
    });
    expect([next.status, next.body.scope]).toEqual([200, "officernd.api.read"]);
  });

  it("refuses a scope wider than the original grant", async () => {
    const { code } = await issueCode();
    const first = (await exchange(code, { scope: "officernd.api.read" })).body;
    const wider = await emulator.tokenRequest({
      grant_type: "refresh_token",
      client_id: CLIENT.id,
      client_secret: CLIENT.secret,
      refresh_token: first.refresh_token,
      scope: BOTH,
    });
    expect(wider.body.error).toBe("invalid_scope");
  });
});

describe("token lifetime", () => {
  it("expires access tokens after token-lifetime seconds on the emulator clock", async () => {
    await emulator.control("/config", { tokenLifetime: 120 });
    const response = await emulator.tokenRequest({
      grant_type: "client_credentials",
      client_id: CLIENT.id,
      client_secret: CLIENT.secret,
      scope: BOTH,
    });
    expect(response.body.expires_in).toBe(120);
    expect((await emulator.api(`/api/v1/organizations/${ACME}`, response.body.access_token)).status).toBe(
      200,
    );
    await emulator.control("/clock", { seconds: 121 });
    expect((await emulator.api(`/api/v1/organizations/${ACME}`, response.body.access_token)).status).toBe(
      401,
    );
  });
});

describe("rate limit", () => {
  it("allows 5 token requests a minute per client, then 429 with Retry-After", async () => {
    await emulator.control("/config", { tokenRateLimit: 5 });
    const ask = () =>
      emulator.tokenRequest({
        grant_type: "client_credentials",
        client_id: CLIENT.id,
        client_secret: CLIENT.secret,
        scope: BOTH,
      });
    for (let index = 0; index < 5; index += 1) expect((await ask()).status).toBe(200);
    const limited = await ask();
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(Number(limited.headers.get("retry-after"))).toBeLessThanOrEqual(60);
    expect(limited.body.error).toEqual(expect.any(String));
    await emulator.control("/clock", { seconds: 61 });
    expect((await ask()).status).toBe(200);
  });
});
