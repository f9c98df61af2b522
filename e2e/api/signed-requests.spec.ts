// Signed GETs against the production build: Healthcheck, Sync and the Configuration launch, signed
// here with the app's own signer, plus a representative set of refused requests.
import { expect, test } from "@playwright/test";
import { buildSignedQuery } from "@/lib/officernd/signature";
import {
  insertInstallation,
  nowSeconds,
  officeRndParams,
  querySyncEnabled,
  type E2eInstallation,
} from "./signed-fixtures";

let installation: E2eInstallation;
let otherInstallation: E2eInstallation;

test.beforeAll(async () => {
  installation = await insertInstallation({
    accountName: "J&J Ltd",
    orgName: "Acme Coworking",
    locations: [
      { id: "loc-downtown", name: "Downtown" },
      { id: "loc-harbour", name: "Harbour" },
    ],
  });
  otherInstallation = await insertInstallation();
});

const signed = (target: E2eInstallation, extra: [string, string][] = [], t = nowSeconds()) =>
  buildSignedQuery(officeRndParams(target, extra), target.secret, t);

test.describe("Healthcheck", () => {
  test("a validly signed probe → 200 { accountName }", async ({ request }) => {
    const response = await request.get(`/api/officernd/healthcheck?${signed(installation)}`);
    expect(response.status()).toBe(200);
    expect(await response.json()).toEqual({ accountName: "J&J Ltd" });
  });

  test("organizationId in literal quotes (as OfficeRnD may send it) still verifies", async ({ request }) => {
    const params: [string, string][] = [
      ["slug", installation.orgSlug],
      ["locations", "loc-harbour, loc-downtown"],
      ["organizationId", `"${installation.orgId}"`],
    ];
    const response = await request.get(
      `/api/officernd/healthcheck?${buildSignedQuery(params, installation.secret, nowSeconds())}`,
    );
    expect(response.status()).toBe(200);
  });
});

test.describe("Sync", () => {
  test("enabled=true / false set the state; a replayed URL answers the current state without changing it", async ({
    request,
  }) => {
    const on = `/api/officernd/sync?${signed(installation, [["enabled", "true"]])}`;
    expect(await (await request.get(on)).json()).toEqual({ syncEnabled: true, accountName: "J&J Ltd" });
    const off = `/api/officernd/sync?${signed(installation, [["enabled", "false"]], nowSeconds() - 1)}`;
    expect(await (await request.get(off)).json()).toMatchObject({ syncEnabled: false });

    const replay = await request.get(on);
    expect(replay.status()).toBe(200);
    expect(await replay.json()).toEqual({ syncEnabled: false, accountName: "J&J Ltd", replayed: true });
    expect(await querySyncEnabled(installation.id)).toBe(false);
  });

  test("without enabled it toggles, once per signed URL", async ({ request }) => {
    const before = await querySyncEnabled(installation.id);
    // Its own memberId: with the healthcheck's bare query signed two seconds earlier it would be the same
    // signature.
    const toggle = `/api/officernd/sync?${signed(installation, [["memberId", "toggle-test"]], nowSeconds() - 2)}`;
    expect(await (await request.get(toggle)).json()).toMatchObject({ syncEnabled: !before });
    expect(await (await request.get(toggle)).json()).toMatchObject({ syncEnabled: !before, replayed: true });
    expect(await querySyncEnabled(installation.id)).toBe(!before);
  });
});

test.describe("Configuration launch", () => {
  test("the signed link → 303 with a session cookie → the configuration page; the link works once", async ({
    playwright,
    baseURL,
  }) => {
    const browserless = await playwright.request.newContext({ baseURL });
    const link = `/configure?${signed(installation, [["memberId", "member-1"]])}`;
    const launch = await browserless.get(link, { maxRedirects: 0 });
    expect(launch.status()).toBe(303);
    expect(launch.headers()["location"]).toBe(`/configure/${installation.id}`);
    expect(launch.headers()["set-cookie"]).toMatch(
      /^configure-session=[\w-]+; Path=\/; Max-Age=1800; HttpOnly; SameSite=Lax/,
    );

    const page = await browserless.get(`/configure/${installation.id}`);
    expect(page.status()).toBe(200);
    const html = await page.text();
    for (const text of ["J&amp;J Ltd", "Acme Coworking", "Downtown", "Harbour"]) expect(html).toContain(text);

    const elsewhere = await browserless.get(`/configure/${otherInstallation.id}`);
    // forbidden() (next.config.ts turns on authInterrupts): a configure session covers one installation.
    expect(elsewhere.status()).toBe(403);
    expect(await elsewhere.text()).not.toContain(otherInstallation.accountName);

    const reused = await browserless.get(link, { maxRedirects: 0 });
    expect(reused.status()).toBe(409);
    expect(await reused.text()).toContain("This link was already used");
    await browserless.dispose();
  });

  test("an expired link → 401 friendly page", async ({ request }) => {
    const response = await request.get(`/configure?${signed(installation, [], nowSeconds() - 3600)}`, {
      maxRedirects: 0,
    });
    expect(response.status()).toBe(401);
    expect(response.headers()["content-type"]).toContain("text/html");
    expect(await response.text()).toContain("This link has expired");
  });

  test("the configuration page without a session → a friendly page pointing to OfficeRnD, no data", async ({
    playwright,
    baseURL,
  }) => {
    const fresh = await playwright.request.newContext({ baseURL });
    const response = await fresh.get(`/configure/${installation.id}`);
    const html = await response.text();
    expect(html).toMatch(/from OfficeRnD/i);
    expect(html).not.toContain("Downtown");
    expect(html).not.toContain("J&amp;J Ltd");
    await fresh.dispose();
  });
});

test.describe("refused requests answer 4xx JSON and never a 500", () => {
  const BAD: { name: string; query: () => string; status: number; error: string }[] = [
    { name: "no query", query: () => "", status: 401, error: "invalid_signature" },
    {
      name: "an unknown slug",
      query: () =>
        buildSignedQuery(
          [
            ["slug", "no-such-org"],
            ["locations", ""],
          ],
          installation.secret,
          nowSeconds(),
        ),
      status: 401,
      error: "invalid_signature",
    },
    {
      name: "no signature",
      query: () => new URLSearchParams(officeRndParams(installation)).toString(),
      status: 401,
      error: "invalid_signature",
    },
    {
      name: "a malformed signature",
      query: () =>
        `${new URLSearchParams(officeRndParams(installation))}&signature=${encodeURIComponent("t=abc,signature=zz")}`,
      status: 401,
      error: "invalid_signature",
    },
    {
      name: "a forged signature",
      query: () => buildSignedQuery(officeRndParams(installation), "guessed-secret", nowSeconds()),
      status: 401,
      error: "invalid_signature",
    },
    {
      name: "a stale timestamp",
      query: () => signed(installation, [], nowSeconds() - 3600),
      status: 401,
      error: "invalid_signature",
    },
    {
      name: "a future timestamp",
      query: () => signed(installation, [], nowSeconds() + 600),
      status: 401,
      error: "invalid_signature",
    },
    {
      name: "a repeated parameter",
      query: () => `${signed(installation)}&slug=${installation.orgSlug}`,
      status: 401,
      error: "invalid_signature",
    },
    {
      name: "a query over 8 KiB",
      query: () => signed(installation, [["padding", "x".repeat(9000)]]),
      status: 414,
      error: "uri_too_long",
    },
  ];
  for (const path of ["/api/officernd/healthcheck", "/api/officernd/sync"]) {
    // A failing healthcheck also says what the admin should do (issue 13 part 4).
    const action = path.endsWith("/healthcheck") ? { action: expect.any(String) as unknown } : {};
    for (const bad of BAD) {
      test(`${path} with ${bad.name} → ${bad.status} ${bad.error}`, async ({ request }) => {
        const before = await querySyncEnabled(installation.id);
        const query = bad.query();
        const response = await request.get(query === "" ? path : `${path}?${query}`);
        expect(response.status()).toBe(bad.status);
        expect(await response.json()).toEqual({ error: bad.error, message: expect.any(String), ...action });
        expect(await querySyncEnabled(installation.id)).toBe(before);
      });
    }
    test(`${path} with POST → 405 JSON with Allow: GET`, async ({ request }) => {
      const response = await request.post(`${path}?${signed(installation)}`);
      expect(response.status()).toBe(405);
      expect(response.headers()["allow"]).toBe("GET");
      expect(await response.json()).toEqual({
        error: "method_not_allowed",
        message: expect.any(String),
        ...action,
      });
    });
  }
});
