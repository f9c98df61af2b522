import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ACME, GLOBEX, startHarness, type Harness } from "./support/harness";

// The guard in front of API v1/v2: Bearer token (401), organisation binding and scopes (403), and the
// per-organisation read/write budgets (429 with Retry-After). Error bodies are NestJS-style.

let emulator: Harness;
beforeAll(async () => {
  emulator = await startHarness();
});
afterAll(() => emulator.close());
beforeEach(() => emulator.control("/reset", {}));

const MEMBERS = `/api/v2/organizations/${ACME}/members`;

describe("authentication", () => {
  it("answers 401 with a NestJS body without a token or with an unknown one", async () => {
    for (const response of [await emulator.request(MEMBERS), await emulator.api(MEMBERS, "not-a-token")]) {
      expect(response.status).toBe(401);
      expect(response.body).toEqual({ statusCode: 401, message: "Unauthorized", error: "Unauthorized" });
    }
  });

  it("answers 403 when the token belongs to another organisation", async () => {
    const response = await emulator.api(MEMBERS, await emulator.token("officernd.api.read", GLOBEX));
    expect(response.status).toBe(403);
    expect(response.body).toMatchObject({ statusCode: 403, error: "Forbidden" });
  });
});

describe("scopes", () => {
  it("lets the legacy read scope read everything but not write", async () => {
    const token = await emulator.token("officernd.api.read");
    for (const path of [
      MEMBERS,
      `/api/v2/organizations/${ACME}/companies`,
      `/api/v2/organizations/${ACME}/locations`,
      `/api/v1/organizations/${ACME}`,
      `/api/v2/organizations/${ACME}/webhooks`,
    ]) {
      expect((await emulator.api(path, token)).status).toBe(200);
    }
    const create = await emulator.api(`/api/v2/organizations/${ACME}/webhooks`, token, {
      method: "POST",
      body: JSON.stringify({ url: "http://x.test/h", eventTypes: ["member.created"] }),
    });
    expect(create.status).toBe(403);
  });

  it("lets a granular scope read only what it names", async () => {
    const token = await emulator.token("flex.community.members.read");
    expect((await emulator.api(MEMBERS, token)).status).toBe(200);
    const companies = await emulator.api(`/api/v2/organizations/${ACME}/companies`, token);
    expect(companies.status).toBe(403);
    expect(companies.body.message).toContain("flex.community.companies.read");
  });

  it("lets flex webhook scopes create and delete but not list without .read", async () => {
    const token = await emulator.token("flex.settings.webhooks.create flex.settings.webhooks.delete");
    const created = await emulator.api(`/api/v2/organizations/${ACME}/webhooks`, token, {
      method: "POST",
      body: JSON.stringify({ url: "http://x.test/h", eventTypes: ["member.created"] }),
    });
    expect(created.status).toBe(201);
    expect((await emulator.api(`/api/v2/organizations/${ACME}/webhooks`, token)).status).toBe(403);
    expect(
      (
        await emulator.api(`/api/v2/organizations/${ACME}/webhooks/${created.body._id}`, token, {
          method: "DELETE",
        })
      ).status,
    ).toBe(200);
  });
});

describe("rate limits", () => {
  it("limits reads per organisation per minute with 429 and Retry-After", async () => {
    await emulator.control("/config", { readRateLimit: 3 });
    const token = await emulator.token();
    for (let index = 0; index < 3; index += 1) expect((await emulator.api(MEMBERS, token)).status).toBe(200);
    const limited = await emulator.api(MEMBERS, token);
    expect(limited.status).toBe(429);
    expect(limited.body).toMatchObject({ statusCode: 429, error: "Too Many Requests" });
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    // The other organisation has its own budget; writes have theirs.
    expect(
      (await emulator.api(`/api/v2/organizations/${GLOBEX}/members`, await emulator.token(undefined, GLOBEX)))
        .status,
    ).toBe(200);
    await emulator.control("/clock", { seconds: 60 });
    expect((await emulator.api(MEMBERS, token)).status).toBe(200);
  });

  it("limits writes separately", async () => {
    await emulator.control("/config", { readRateLimit: 1, writeRateLimit: 2 });
    const token = await emulator.token();
    const create = () =>
      emulator.api(`/api/v2/organizations/${ACME}/webhooks`, token, {
        method: "POST",
        body: JSON.stringify({ url: "http://x.test/h", eventTypes: ["member.created"] }),
      });
    expect((await create()).status).toBe(201);
    expect((await create()).status).toBe(201);
    expect((await create()).status).toBe(429);
    expect((await emulator.api(MEMBERS, token)).status).toBe(200);
  });
});
