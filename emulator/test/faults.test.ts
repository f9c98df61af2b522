import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ACME, CLIENT, startHarness, type Harness } from "./support/harness";

// Injected faults: status/body/Retry-After, latency, dropped connections, garbage, once/N times or a rate.

let emulator: Harness;
let token: string;
beforeAll(async () => {
  emulator = await startHarness();
});
afterAll(() => emulator.close());
beforeEach(async () => {
  await emulator.control("/reset", {});
  token = await emulator.token();
});

const MEMBERS = `/api/v2/organizations/${ACME}/members`;

describe("faults", () => {
  it("answers a status with Retry-After the given number of times, then recovers", async () => {
    const fault = await emulator.control("/faults", {
      path: "/api/v2/organizations/*/members",
      method: "GET",
      status: 429,
      retryAfter: 7,
      times: 2,
    });
    expect(fault).toMatchObject({ id: expect.any(String), remaining: 2 });
    for (let index = 0; index < 2; index += 1) {
      const response = await emulator.api(MEMBERS, token);
      expect(response.status).toBe(429);
      expect(response.headers.get("retry-after")).toBe("7");
      expect(response.body).toMatchObject({ statusCode: 429 });
    }
    expect((await emulator.api(MEMBERS, token)).status).toBe(200);
    expect(await emulator.control("/faults")).toEqual([]);
  });

  it("matches the method and ** patterns, and serves a custom body", async () => {
    await emulator.control("/faults", {
      path: "/oauth/**",
      method: "POST",
      status: 500,
      body: { error: "server_error" },
    });
    expect((await emulator.api(MEMBERS, token)).status).toBe(200);
    const response = await emulator.tokenRequest({
      grant_type: "client_credentials",
      client_id: CLIENT.id,
      client_secret: CLIENT.secret,
      scope: "officernd.api.read",
    });
    expect([response.status, response.body]).toEqual([500, { error: "server_error" }]);
  });

  it("adds latency and then answers normally", async () => {
    // Observed by order, not by a clock: a request sent after the delayed one (the fault fires once)
    // is answered first, and then the delayed one answers normally.
    await emulator.control("/faults", { path: MEMBERS, latencyMs: 2_000, times: 1 });
    const answered: string[] = [];
    const delayed = emulator.api(MEMBERS, token).then((response) => (answered.push("delayed"), response));
    await expect.poll(async () => ((await emulator.control("/faults")) as unknown[]).length).toBe(0); // taken by the first request
    const prompt = await emulator.api(MEMBERS, token).then((response) => (answered.push("prompt"), response));
    expect(prompt.status).toBe(200);
    expect((await delayed).status).toBe(200);
    expect(answered).toEqual(["prompt", "delayed"]);
  });

  it("drops the connection", async () => {
    await emulator.control("/faults", { path: MEMBERS, drop: true, times: 1 });
    await expect(
      fetch(`${emulator.url}${MEMBERS}`, { headers: { authorization: `Bearer ${token}` } }),
    ).rejects.toThrow();
    expect((await emulator.api(MEMBERS, token)).status).toBe(200);
  });

  it("sends garbage that is not JSON", async () => {
    await emulator.control("/faults", { path: MEMBERS, garbage: true, times: 1 });
    const response = await fetch(`${emulator.url}${MEMBERS}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(response.status).toBe(200);
    await expect(response.json()).rejects.toThrow();
  });

  it("fires at a rate (1 = always, 0 = never) and is cleared by DELETE", async () => {
    await emulator.control("/faults", { path: MEMBERS, status: 503, rate: 0 });
    expect((await emulator.api(MEMBERS, token)).status).toBe(200);
    await emulator.control("/faults", { path: MEMBERS, status: 502, rate: 1 });
    expect((await emulator.api(MEMBERS, token)).status).toBe(502);
    expect(await emulator.control("/faults", undefined, "DELETE")).toEqual({ cleared: 2 });
    expect((await emulator.api(MEMBERS, token)).status).toBe(200);
  });

  it("never faults the control API", async () => {
    await emulator.control("/faults", { path: "/**", status: 500 });
    expect((await emulator.request("/_emulator/state")).status).toBe(200);
  });
});
