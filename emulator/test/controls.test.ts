import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ACME, startHarness, type Harness, type Json } from "./support/harness";
import { startReceiver } from "./support/receiver";

// Control-API faults other tests build on: lost webhook deliveries, a subscription deleted behind the
// partner's back, an empty list page in the middle of a pass, and the read budget's headers.

let emulator: Harness;
let receiver: Awaited<ReturnType<typeof startReceiver>>;

beforeAll(async () => {
  receiver = await startReceiver();
  emulator = await startHarness({ webhookRetryBaseMs: 20 });
});
afterAll(async () => {
  await emulator.close();
  await receiver.close();
});
beforeEach(async () => {
  await emulator.control("/reset", {});
  receiver.received.length = 0;
});

const V1 = `/api/v1/organizations/${ACME}`;
const V2 = `/api/v2/organizations/${ACME}`;

async function subscribe(): Promise<string> {
  const token = await emulator.token();
  const answer = await emulator.api(`${V2}/webhooks`, token, {
    method: "POST",
    body: JSON.stringify({ url: `${receiver.url}/hook`, eventTypes: ["member.created"] }),
  });
  return answer.body._id;
}

async function createMembers(count: number): Promise<void> {
  for (let index = 0; index < count; index += 1)
    await emulator.control(`/orgs/${ACME}/members`, { name: `Member ${index}` });
  await emulator.control("/deliveries/idle?timeoutMs=5000", {});
}

describe("webhook drops", () => {
  it("drops the next N deliveries (never sent, status dropped), then delivers again", async () => {
    await subscribe();
    expect(await emulator.control("/webhook-drops", { count: 2 })).toEqual({ remaining: 2 });
    await createMembers(3);
    expect(receiver.received).toHaveLength(1);
    const deliveries = await emulator.control<Json[]>("/deliveries");
    expect(deliveries.map((delivery) => delivery.status)).toEqual(["dropped", "dropped", "succeeded"]);
    expect(deliveries[0].attempts).toEqual([]);
    expect(await emulator.control("/webhook-drops")).toEqual({ remaining: 0 });
  });

  it("drops every delivery until DELETE", async () => {
    await subscribe();
    expect(await emulator.control("/webhook-drops", {})).toEqual({ remaining: "all" });
    await createMembers(2);
    expect(receiver.received).toHaveLength(0);
    expect((await emulator.control<Json[]>("/events")).length).toBe(2);
    expect(await emulator.control("/webhook-drops", undefined, "DELETE")).toEqual({ remaining: 0 });
    await createMembers(1);
    expect(receiver.received).toHaveLength(1);
  });
});

it("deletes a subscription behind the partner's back: no more deliveries, and the API no longer lists it", async () => {
  const id = await subscribe();
  expect(await emulator.control(`/webhooks/${id}`, undefined, "DELETE")).toMatchObject({
    _id: id,
    orgSlug: ACME,
  });
  await createMembers(1);
  expect(receiver.received).toHaveLength(0);
  expect((await emulator.api(`${V2}/webhooks`, await emulator.token())).body.results).toEqual([]);
  expect((await emulator.request(`/_emulator/webhooks/${id}`, { method: "DELETE" })).status).toBe(404);
});

describe("empty list fault", () => {
  it("answers an empty v2 page after letting the first N requests through", async () => {
    const token = await emulator.token();
    await emulator.control("/faults", {
      path: `${V2}/members`,
      method: "GET",
      emptyList: true,
      skip: 2,
      times: 1,
    });
    const pages: number[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 4; page += 1) {
      const answer: Json = await emulator.api(
        `${V2}/members${cursor ? `?$cursorNext=${cursor}` : ""}`,
        token,
      );
      pages.push(answer.body.results.length);
      if (answer.body.results.length === 0)
        expect(answer.body).toEqual({
          results: [],
          cursorNext: null,
          cursorPrev: null,
          rangeStart: 0,
          rangeEnd: 0,
        });
      cursor = answer.body.cursorNext ?? cursor;
    }
    expect(pages).toEqual([50, 50, 0, 50]);
  });

  it("answers [] on API v1", async () => {
    await emulator.control("/faults", { path: `${V1}/members`, emptyList: true, times: 1 });
    const answer = await emulator.api(`${V1}/members`, await emulator.token());
    expect(answer).toMatchObject({ status: 200, body: [] });
    expect(answer.headers.get("rnd-cursor-next")).toBeNull();
  });
});

it("reports the read budget in X-RateLimit-* headers and answers 429 past it", async () => {
  await emulator.control("/config", { readRateLimit: 3 });
  const token = await emulator.token();
  const first = await emulator.api(`${V2}/locations`, token);
  expect(first.headers.get("x-ratelimit-limit")).toBe("3");
  expect(first.headers.get("x-ratelimit-remaining")).toBe("2");
  expect(Number(first.headers.get("x-ratelimit-reset"))).toBeGreaterThan(0);
  await emulator.api(`${V2}/locations`, token);
  await emulator.api(`${V1}/members?$limit=1`, token);
  const refused = await emulator.api(`${V2}/members`, token);
  expect(refused.status).toBe(429);
  expect(refused.headers.get("x-ratelimit-remaining")).toBe("0");
  expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
  await emulator.control("/clock", { seconds: 61 });
  expect((await emulator.api(`${V2}/members`, token)).status).toBe(200);
});

it("counts the requests it answered as OfficeRnD, by route and status, apart from the control API (GET/DELETE /_emulator/requests)", async () => {
  const token = await emulator.token();
  const [member] = (await emulator.api(`${V2}/members?$limit=1`, token)).body.results;
  await emulator.api(`${V2}/members/${member._id}`, token);
  await emulator.api(`${V1}/members?$limit=1`, token);
  await emulator.api(`${V2}/members/${"0".repeat(24)}`, token);
  const counted = await emulator.control<{
    total: number;
    apiV1: number;
    apiV2: number;
    token: number;
    routes: Json[];
  }>("/requests");
  expect(counted).toEqual({
    total: 4,
    apiV1: 1,
    apiV2: 3,
    token: 0,
    routes: [
      { route: "GET /api/v1/organizations/:slug/members", status: 200, count: 1 },
      { route: "GET /api/v2/organizations/:slug/members", status: 200, count: 1 },
      { route: "GET /api/v2/organizations/:slug/members/:id", status: 200, count: 1 },
      { route: "GET /api/v2/organizations/:slug/members/:id", status: 404, count: 1 },
    ],
  });
  expect(await emulator.control("/requests", undefined, "DELETE")).toEqual({ cleared: 4 });
  expect(await emulator.control("/requests")).toMatchObject({ total: 0, routes: [] });
});
