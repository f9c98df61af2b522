import { expect, test, type APIRequestContext } from "@playwright/test";
import fc from "fast-check";
import { E2E_METRICS_TOKEN } from "../support/ports";

// Thousands of random queries, headers and bodies against every public route of the production build:
// never a 5xx, never a forged request accepted, and the server's memory stays flat.

const text = fc.string({ unit: "grapheme", maxLength: 40 });
const hex = fc.stringMatching(/^[0-9a-f]{0,70}$/);
const signature = fc.oneof(
  text,
  fc.tuple(fc.integer(), hex).map(([t, h]) => `t=${t},signature=${h}`),
  fc.constant("t=,signature="),
);
// Header values must be visible ASCII for any HTTP client to send them at all.
const headerText = fc.stringMatching(/^[\x20-\x7e]{0,60}$/);
const headerSignature = fc.oneof(
  headerText,
  fc.tuple(fc.integer(), hex).map(([t, h]) => `t=${t},signature=${h}`),
);
const queryParams = fc.array(
  fc.tuple(
    fc.oneof(fc.constantFrom("slug", "locations", "signature", "organizationId", "memberId", "enabled", "sync", "code", "org_slug", "integrationId"), text),
    fc.oneof(text, signature),
  ),
  { maxLength: 8 },
);

type Probe = { method: "GET" | "POST" | "PUT" | "DELETE"; path: string; query: [string, string][]; headers: Record<string, string>; body: string };

const probe: fc.Arbitrary<Probe> = fc.record({
  method: fc.constantFrom("GET", "GET", "GET", "POST", "PUT", "DELETE"),
  path: fc.oneof(
    fc.constantFrom("/api/officernd/healthcheck", "/api/officernd/sync", "/configure", "/connect"),
    fc.oneof(text, fc.uuid()).map((id) => `/api/webhooks/officernd/${encodeURIComponent(id)}`),
  ),
  query: queryParams,
  headers: fc.record(
    { "officernd-signature": headerSignature, "content-type": fc.constantFrom("application/json", "text/plain", "application/x-www-form-urlencoded", "") },
    { requiredKeys: [] },
  ),
  body: fc.oneof(text, fc.json(), fc.constant('{"eventType":"integration.removed","data":{"object":{"_id":"x"}}}')),
});

async function residentMemoryBytes(request: APIRequestContext): Promise<number> {
  const metrics = await (await request.get("/api/metrics", { headers: { Authorization: `Bearer ${E2E_METRICS_TOKEN}` } })).text();
  return Number(/^process_resident_memory_bytes (\d+(\.\d+)?(e\+\d+)?)/m.exec(metrics)?.[1] ?? NaN);
}

async function send(request: APIRequestContext, input: Probe) {
  const url = `${input.path}?${new URLSearchParams(input.query).toString()}`;
  const response = await request.fetch(url, {
    method: input.method,
    headers: input.headers,
    data: input.method === "GET" ? undefined : input.body,
    maxRedirects: 0,
  });
  return { status: response.status(), location: response.headers()["location"] ?? "" };
}

test("random input to every public route: no 5xx, nothing forged accepted, memory flat", async ({ request }) => {
  test.setTimeout(300_000);
  const check = fc.asyncProperty(probe, async (input) => {
    const { status, location } = await send(request, input);
    expect(status, `${input.method} ${input.path}`).toBeLessThan(500);
    // Nothing random is ever a valid OfficeRnD call: no success, no configuration session.
    if (input.path.startsWith("/api/")) expect(status, `${input.method} ${input.path} accepted`).not.toBe(200);
    if (input.path === "/configure") expect(location).not.toMatch(/\/configure\/[^/?]+/);
  });
  // Three rounds: the first warms up (lazily loaded routes, pools, JIT, heap sizing); after that a
  // server that retains nothing per request stops growing, so the last round must add little.
  const rss: number[] = [];
  for (const numRuns of [1_000, 1_500, 1_500]) {
    await fc.assert(check, { numRuns });
    rss.push(await residentMemoryBytes(request));
  }
  const [, afterSecond, afterThird] = rss as [number, number, number];
  console.log(`fuzz: 4,000 requests; server RSS after each round ${rss.map((bytes) => `${Math.round(bytes / 2 ** 20)} MiB`).join(", ")}`);
  expect(rss.every(Number.isFinite)).toBe(true);
  // 32 MiB over 1,500 requests would mean ~22 KiB retained per request; GC noise stays well under it.
  expect(afterThird - afterSecond).toBeLessThan(32 * 2 ** 20);
});
