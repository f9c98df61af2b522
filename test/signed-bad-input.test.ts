// Every malformed, forged, stale or misdirected signed request, against all three signed routes:
// each answers a 4xx ({error, message} JSON, or the friendly HTML page for /configure), never a 500,
// and changes nothing in the database.
import { createHmac } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as configureRoute from "@/app/configure/route";
import * as healthcheckRoute from "@/app/api/officernd/healthcheck/route";
import * as syncRoute from "@/app/api/officernd/sync/route";
import { db } from "@/lib/db";
import { readIntegration } from "@/lib/officernd/read-integration";
import { buildSignedQuery } from "@/lib/officernd/signature";
import { startEmulatorProcess, type EmulatorProcess } from "./support/emulator";
import { useOfficeRnd } from "./support/officernd-env";
import {
  BASE_URL,
  createSignedFixture,
  nowSeconds,
  officeRndParams,
  signedUrl,
  stateSnapshot,
  type SignedFixture,
} from "./signed-helpers";

type Method = () => Response | Promise<Response>;
type Route = {
  GET: (request: Request) => Promise<Response>;
  POST: Method;
  PUT: Method;
  PATCH: Method;
  DELETE: Method;
};
const ROUTES: { name: string; path: string; route: Route; isHtml: boolean }[] = [
  { name: "healthcheck", path: "/api/officernd/healthcheck", route: healthcheckRoute, isHtml: false },
  { name: "sync", path: "/api/officernd/sync", route: syncRoute, isHtml: false },
  { name: "configure", path: "/configure", route: configureRoute, isHtml: true },
];

let main: SignedFixture;
let other: SignedFixture;
let removed: SignedFixture;

let emulator: EmulatorProcess;

beforeAll(async () => {
  // Signed locations that differ from the stored ones are checked against OfficeRnD's integration
  // record; `main`'s integration is unknown there, so OfficeRnD disagrees and the answer stays 404.
  emulator = await startEmulatorProcess();
  await useOfficeRnd(emulator.url);
  const [organization] = (await emulator.control<{ organizations: { slug: string }[] }>("/_emulator/state"))
    .organizations;
  const tokens = await emulator.control<{ access_token: string; refresh_token: string }>(
    "/_emulator/tokens",
    {
      org: organization!.slug,
      scope: "officernd.api.read officernd.api.write",
    },
  );
  main = await createSignedFixture({
    orgSlug: organization!.slug,
    regionUrl: emulator.url,
    accessToken: tokens.access_token,
    refreshToken: tokens.refresh_token,
    locations: [
      { id: "loc-b", name: "B" },
      { id: "loc-a", name: "A" },
    ],
  });
  // The first API call of an installation records which API generation it uses; do it now, so the
  // "changes nothing" snapshots below see only what the refused requests did.
  await readIntegration({ installationId: main.installation.id });
  other = await createSignedFixture();
  removed = await createSignedFixture({ status: "removed" });
});

afterAll(async () => {
  await emulator?.stop();
});

const hex = (secret: string, message: string) => createHmac("sha256", secret).update(message).digest("hex");
/** The unsigned part of a normal request for `main`, URL-encoded. */
const plainQuery = () => new URLSearchParams(officeRndParams(main)).toString();
const withSignatureValue = (value: string) => `${plainQuery()}&signature=${encodeURIComponent(value)}`;
const validQuery = (t = nowSeconds()) => buildSignedQuery(officeRndParams(main), main.secret, t);

type Case = { name: string; query: () => string; status: number; error: string };
const CASES: Case[] = [
  { name: "no query at all", query: () => "", status: 401, error: "invalid_signature" },
  {
    name: "an unknown slug",
    query: () =>
      buildSignedQuery(
        [["slug", "no-such-org"], ...officeRndParams(main).slice(1)],
        main.secret,
        nowSeconds(),
      ),
    status: 401,
    error: "invalid_signature",
  },
  { name: "no signature", query: plainQuery, status: 401, error: "invalid_signature" },
  {
    name: "an empty signature",
    query: () => `${plainQuery()}&signature=`,
    status: 401,
    error: "invalid_signature",
  },
  {
    name: "a repeated signature",
    query: () => `${validQuery()}&${validQuery().split("&").pop()}`,
    status: 401,
    error: "invalid_signature",
  },
  {
    name: "a signature without t=",
    query: () => withSignatureValue(`signature=${"a".repeat(64)}`),
    status: 401,
    error: "invalid_signature",
  },
  {
    name: "a t= that is not a number",
    query: () => withSignatureValue(`t=17x0000000,signature=${"a".repeat(64)}`),
    status: 401,
    error: "invalid_signature",
  },
  {
    name: "a hash of the wrong length",
    query: () => withSignatureValue(`t=${nowSeconds()},signature=${"a".repeat(63)}`),
    status: 401,
    error: "invalid_signature",
  },
  {
    name: "a hash that is not hex",
    query: () => withSignatureValue(`t=${nowSeconds()},signature=${"g".repeat(64)}`),
    status: 401,
    error: "invalid_signature",
  },
  {
    name: "a timestamp too old (beyond 300 s)",
    query: () => validQuery(nowSeconds() - 400),
    status: 401,
    error: "invalid_signature",
  },
  {
    name: "a timestamp too far ahead (beyond 30 s)",
    query: () => validQuery(nowSeconds() + 90),
    status: 401,
    error: "invalid_signature",
  },
  {
    name: "a repeated slug",
    query: () => `${validQuery()}&slug=${main.installation.orgSlug}`,
    status: 401,
    error: "invalid_signature",
  },
  {
    name: "a repeated locations",
    query: () => `locations=loc-a&${validQuery()}`,
    status: 401,
    error: "invalid_signature",
  },
  {
    name: "a query over 8 KiB",
    query: () =>
      buildSignedQuery([...officeRndParams(main), ["padding", "x".repeat(9000)]], main.secret, nowSeconds()),
    status: 414,
    error: "uri_too_long",
  },
  {
    name: "a wrong secret (forged)",
    query: () => buildSignedQuery(officeRndParams(main), "not-the-secret", nowSeconds()),
    status: 401,
    error: "invalid_signature",
  },
  {
    name: "another installation's secret",
    query: () => buildSignedQuery(officeRndParams(main), other.secret, nowSeconds()),
    status: 401,
    error: "invalid_signature",
  },
  {
    name: "a parameter changed after signing",
    query: () => validQuery().replace(`locations=${encodeURIComponent("loc-b,loc-a")}`, "locations=loc-a"),
    status: 401,
    error: "invalid_signature",
  },
  {
    name: "a hand-made signature over a JSON with reordered keys",
    query: () =>
      withSignatureValue(
        `t=${nowSeconds()},signature=${hex(main.secret, `{"locations":"loc-b,loc-a","slug":"${main.installation.orgSlug}","organizationId":"${main.orgId}"}.${nowSeconds()}`)}`,
      ),
    status: 401,
    error: "invalid_signature",
  },
  {
    name: "validly signed locations that differ from the connected ones",
    query: () => buildSignedQuery(officeRndParams(main, [], "loc-a"), main.secret, nowSeconds()),
    status: 404,
    error: "not_connected",
  },
  {
    name: "validly signed 'all locations' for a per-location installation",
    query: () => buildSignedQuery(officeRndParams(main, [], ""), main.secret, nowSeconds()),
    status: 404,
    error: "not_connected",
  },
  {
    name: "a validly signed query without locations",
    query: () =>
      buildSignedQuery(
        [
          ["slug", main.installation.orgSlug],
          ["organizationId", main.orgId],
        ],
        main.secret,
        nowSeconds(),
      ),
    status: 400,
    error: "invalid_query",
  },
  {
    name: "a removed installation",
    query: () => buildSignedQuery(officeRndParams(removed), removed.secret, nowSeconds()),
    status: 404,
    error: "not_connected",
  },
];

describe.each(ROUTES)("GET $path refuses bad input", ({ name, path, route, isHtml }) => {
  // The healthcheck also says what the admin does (issue 13 part 4).
  const jsonBody = (error: string) =>
    name === "healthcheck"
      ? { error, message: expect.any(String), action: expect.any(String) }
      : { error, message: expect.any(String) };
  it.each(CASES)("$name → $status $error, and changes nothing", async ({ query, status, error }) => {
    const before = await stateSnapshot();
    const search = query();
    const response = await route.GET(new Request(`${BASE_URL}${path}${search === "" ? "" : `?${search}`}`));

    expect(response.status).toBe(status);
    expect(response.headers.get("cache-control")).toBe("no-store");
    const text = await response.text();
    if (isHtml) {
      expect(response.headers.get("content-type")).toMatch(/^text\/html/);
      expect(text).toContain("OfficeRnD");
      if (error === "invalid_signature") expect(text).toContain("This link has expired");
    } else {
      const body = JSON.parse(text) as Record<string, unknown>;
      expect(body).toEqual(jsonBody(error));
      expect((body.message as string).length).toBeGreaterThan(10);
    }
    expect(text).not.toMatch(/at .+\.ts:\d+|stack/i);
    expect(await stateSnapshot()).toEqual(before);
  });

  it.each(["POST", "PUT", "PATCH", "DELETE"] as const)("%s → 405 JSON with Allow: GET", async (method) => {
    const response = await route[method]();
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("GET");
    expect(await response.json()).toEqual(jsonBody("method_not_allowed"));
  });

  it("a HEAD (which Next hands to the GET handler) → 405 and changes nothing, even when validly signed", async () => {
    const before = await stateSnapshot();
    const response = await route.GET(new Request(`${BASE_URL}${path}?${validQuery()}`, { method: "HEAD" }));
    expect(response.status).toBe(405);
    expect(await stateSnapshot()).toEqual(before);
  });
});

describe("signature tolerances", () => {
  it("accepts a timestamp 290 s old and one 20 s ahead (SIGNATURE_TOLERANCE_SECONDS=300, FUTURE=30)", async () => {
    for (const t of [nowSeconds() - 290, nowSeconds() + 20]) {
      const response = await syncRoute.GET(
        new Request(
          signedUrl("/api/officernd/sync", officeRndParams(main, [["enabled", "false"]]), main.secret, t),
        ),
      );
      expect(response.status).toBe(200);
    }
  });
});

describe("sync-specific bad input", () => {
  it.each(["maybe", "", "yes"])(
    "enabled=%j → 400 invalid_query, and the signed URL stays unused",
    async (value) => {
      const before = await stateSnapshot();
      const url = signedUrl("/api/officernd/sync", officeRndParams(main, [["enabled", value]]), main.secret);
      const response = await syncRoute.GET(new Request(url));
      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({ error: "invalid_query", message: expect.any(String) });
      expect(await stateSnapshot()).toEqual(before);
      expect(await db.usedSignature.count()).toBe(before.usedSignatures);
    },
  );
});
