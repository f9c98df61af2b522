import { createHmac } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { parseCliOptions } from "../src/cli-options";
import { ACME, CLIENT, startHarness, type Harness, type Json } from "./support/harness";
import { startReceiver } from "./support/receiver";

// OfficeRnD profiles (README "Profiles"): each a plausible answer to a question the spec leaves open.

let emulator: Harness;
let partner: Awaited<ReturnType<typeof startReceiver>>;
let locationIds: string[];
const at = (index: number) => locationIds[index] ?? "";
let adminUserId: string;

beforeAll(async () => {
  partner = await startReceiver((request) =>
    request.url.pathname.endsWith("/healthcheck")
      ? { status: 200, body: { accountName: "J&J Ltd" } }
      : { status: 200, body: { status: "received" } },
  );
  emulator = await startHarness({ partnerUrl: partner.url, webhookRetryBaseMs: 20 });
});
afterAll(async () => {
  await emulator.close();
  await partner.close();
});
beforeEach(async () => {
  await emulator.control("/reset", {});
  partner.received.length = 0;
  const acme = (await emulator.state()).organizations[0];
  locationIds = acme?.locations.map((location) => location._id) ?? [];
  adminUserId = acme?.adminUserId ?? "";
});

const LEGACY = "officernd.api.read officernd.api.write";
const V1 = `/api/v1/organizations/${ACME}`;
const V2 = `/api/v2/organizations/${ACME}`;

function useProfile(profile: string) {
  return emulator.control("/config", { profile });
}

/** Subscribes the receiver to events through API v1 and returns the subscription's secret. */
async function subscribe(token: string, eventTypes: string[]): Promise<string> {
  const response = await emulator.api(`${V1}/webhooks`, token, {
    method: "POST",
    body: JSON.stringify({ url: `${partner.url}/hook`, eventTypes }),
  });
  expect(response.status).toBe(201);
  return (response.body as Array<{ secret: string }>)[0]?.secret ?? "";
}

/** The webhook bodies the receiver got, parsed, after every delivery finished. */
async function deliveredEvents(): Promise<Json[]> {
  await emulator.control("/deliveries/idle?timeoutMs=5000", {});
  return partner.received
    .filter((request) => request.method === "POST")
    .map((request) => JSON.parse(request.rawBody) as Json);
}

/** Connects an integration the way the app does: code exchange, then the secret through API v1. */
async function connect(locations: string[]): Promise<{ _id: string; secret: string }> {
  const integration = await emulator.control("/integrations", { org: ACME, locations });
  const { code } = await emulator.control("/authorization-codes", { integrationId: integration._id });
  const state = await emulator.state();
  const tokenAnswer = await emulator.tokenRequest({
    grant_type: "authorization_code",
    client_id: CLIENT.id,
    client_secret: CLIENT.secret,
    code,
    redirect_uri: (state as Json).app.redirectUri,
    scope: LEGACY,
  });
  expect(tokenAnswer.status).toBe(200);
  const secretAnswer = await emulator.api(
    `${V1}/integrations/${integration._id}?appClientId=${CLIENT.id}`,
    tokenAnswer.body.access_token,
  );
  expect(secretAnswer.status).toBe(200);
  return { _id: integration._id, secret: integration.secret };
}

function signatureOf(payload: Record<string, string>, secret: string, t: string): string {
  return createHmac("sha256", secret)
    .update(`${JSON.stringify(payload)}.${t}`)
    .digest("hex");
}

describe("profile switch", () => {
  it("starts as v2, switches through the control API, and a reset restores the start-up profile", async () => {
    expect((await emulator.state()) as Json).toMatchObject({ profile: "v2", regionUrl: emulator.url });
    expect(await useProfile("sparse")).toMatchObject({ profile: "sparse" });
    expect(((await emulator.state()) as Json).profile).toBe("sparse");
    const refused = await emulator.request("/_emulator/config", {
      method: "POST",
      body: JSON.stringify({ profile: "v3" }),
    });
    expect(refused.status).toBe(400);
    await emulator.control("/reset", {});
    expect(((await emulator.state()) as Json).profile).toBe("v2");
  });

  it("takes --profile, --region-port and --region-url from the command line or the environment", () => {
    expect(
      parseCliOptions(["--profile", "v1-only", "--region-port", "4999"], {} as NodeJS.ProcessEnv).options,
    ).toMatchObject({
      profile: "v1-only",
      regionPort: 4999,
    });
    expect(
      parseCliOptions([], {
        EMULATOR_PROFILE: "region",
        EMULATOR_REGION_URL: "http://eu.localhost:5000",
      } as unknown as NodeJS.ProcessEnv).options,
    ).toMatchObject({
      profile: "region",
      regionUrl: "http://eu.localhost:5000",
    });
  });
});

describe("v2 (default)", () => {
  it("lets the legacy scopes read API v2 and sends v2 objects with event ids in webhooks", async () => {
    const token = await emulator.token(LEGACY);
    expect((await emulator.api(`${V2}/members?$limit=1`, token)).status).toBe(200);
    await subscribe(token, ["member.updated"]);
    const member = (await emulator.snapshot(ACME, "members"))[0];
    await emulator.control(`/orgs/${ACME}/members/${member._id}`, { phone: "+44 1" }, "PATCH");
    const [event] = await deliveredEvents();
    expect(event).toMatchObject({
      eventType: "member.updated",
      data: { object: { _id: member._id, location: member.location, company: member.company } },
    });
    expect(event.id).toEqual(expect.any(String));
    expect(event.createdAt).toEqual(expect.any(String));
  });
});

describe("v1-only", () => {
  beforeEach(() => useProfile("v1-only"));

  it("refuses flex scopes at the token endpoint and answers API v2 with 403 to the legacy scopes", async () => {
    const flex = await emulator.tokenRequest({
      grant_type: "client_credentials",
      client_id: CLIENT.id,
      client_secret: CLIENT.secret,
      scope: "flex.community.members.read",
    });
    expect(flex).toMatchObject({ status: 400, body: { error: "invalid_scope" } });
    const token = await emulator.token(LEGACY);
    for (const path of ["members", "companies", "locations", "webhooks"]) {
      const answer = await emulator.api(`${V2}/${path}`, token);
      expect(answer.status, path).toBe(403);
      expect(answer.body.message).toMatch(/Insufficient scope: requires flex\./);
    }
    expect((await emulator.api(V1, token)).status).toBe(200);
  });

  it("lists members as v1 bare arrays with office/team, paged by rnd-cursor-next and $next (100 per page)", async () => {
    const token = await emulator.token(LEGACY);
    const seen: Json[] = [];
    let next: string | null = null;
    let pages = 0;
    do {
      const answer: Json = await emulator.api(
        `${V1}/members${next ? `?$next=${encodeURIComponent(next)}` : ""}`,
        token,
      );
      expect(answer.status).toBe(200);
      expect(Array.isArray(answer.body)).toBe(true);
      seen.push(...(answer.body as Json[]));
      next = answer.headers.get("rnd-cursor-next");
      pages += 1;
    } while (next);
    const all = await emulator.snapshot(ACME, "members");
    expect(pages).toBe(Math.ceil(all.length / 100));
    expect(seen.map((member) => member._id)).toEqual(all.map((member) => member._id));
    const first = seen[0];
    expect(first).not.toHaveProperty("location");
    expect(first).not.toHaveProperty("company");
    expect(first).toMatchObject({ office: all[0].location, team: all[0].company });
    const capped = await emulator.api(`${V1}/members?$limit=500`, token);
    expect(capped.body).toHaveLength(100);
  });

  it("filters by office, reads a member and a company by id in v1 shape, and 404s an unknown id", async () => {
    const token = await emulator.token(LEGACY);
    const inLocation = await emulator.api(`${V1}/members?office=${locationIds[1]}&$limit=5`, token);
    expect((inLocation.body as Json[]).every((member) => member.office === locationIds[1])).toBe(true);
    const member = (await emulator.snapshot(ACME, "members"))[3];
    expect((await emulator.api(`${V1}/members/${member._id}`, token)).body).toMatchObject({
      _id: member._id,
      office: member.location,
    });
    const company = (await emulator.snapshot(ACME, "companies"))[0];
    const companyAnswer = await emulator.api(`${V1}/companies/${company._id}`, token);
    expect(companyAnswer.body).toMatchObject({ _id: company._id, office: company.location });
    expect(companyAnswer.body).not.toHaveProperty("location");
    expect((await emulator.api(`${V1}/members/000000000000000000000000`, token)).status).toBe(404);
  });

  it("creates, lists and deletes webhooks through API v1", async () => {
    const token = await emulator.token(LEGACY);
    await subscribe(token, ["member.created"]);
    const listed = await emulator.api(`${V1}/webhooks`, token);
    expect(listed.body).toEqual([
      expect.objectContaining({ url: `${partner.url}/hook`, enabled: true, secret: expect.any(String) }),
    ]);
    const id = (listed.body as Json[])[0]._id;
    expect((await emulator.api(`${V1}/webhooks/${id}`, token, { method: "DELETE" })).body).toMatchObject({
      _id: id,
    });
    expect((await emulator.api(`${V1}/webhooks`, token)).body).toEqual([]);
  });

  it("sends v1 objects in webhooks: members with office/team and no location, companies with office", async () => {
    const token = await emulator.token(LEGACY);
    await subscribe(token, ["member.updated", "company.created"]);
    const member = (await emulator.snapshot(ACME, "members"))[0];
    await emulator.control(`/orgs/${ACME}/members/${member._id}`, { location: locationIds[2] }, "PATCH");
    await emulator.control(`/orgs/${ACME}/companies`, { name: "Initech", location: locationIds[1] });
    const events = await deliveredEvents();
    const updated = events.find((event) => event.eventType === "member.updated");
    expect(updated.data.object).toMatchObject({
      _id: member._id,
      office: locationIds[2],
      team: member.company,
    });
    expect(updated.data.object).not.toHaveProperty("location");
    expect(updated.data.previousAttributes).toMatchObject({ office: member.location });
    const created = events.find((event) => event.eventType === "company.created");
    expect(created.data.object).toMatchObject({ name: "Initech", office: locationIds[1] });
    expect(created.data.object).not.toHaveProperty("location");
  });
});

describe("v1-webhooks", () => {
  it("serves API v2 to the legacy scopes but sends v1-shaped webhook objects", async () => {
    await useProfile("v1-webhooks");
    const token = await emulator.token(LEGACY);
    const page = await emulator.api(`${V2}/members?$limit=1`, token);
    expect(page.body.results[0]).toHaveProperty("location");
    await subscribe(token, ["member.created"]);
    await emulator.control(`/orgs/${ACME}/members`, { name: "Ada Lovelace", location: locationIds[0] });
    const [event] = await deliveredEvents();
    expect(event.data.object).toMatchObject({ name: "Ada Lovelace", office: locationIds[0] });
    expect(event.data.object).not.toHaveProperty("location");
  });
});

describe("sparse", () => {
  beforeEach(() => useProfile("sparse"));

  it("sends memberId empty but signs without it, adds a signed userId, and joins locations with ', '", async () => {
    const integration = await emulator.control("/integrations", {
      org: ACME,
      locations: [locationIds[0], locationIds[1]],
    });
    await emulator.control("/signed-call", { integrationId: integration._id, target: "healthcheck" });
    const query = partner.received.at(-1)?.url.searchParams ?? new URLSearchParams();
    expect([...query.keys()]).toEqual([
      "slug",
      "locations",
      "organizationId",
      "memberId",
      "userId",
      "signature",
    ]);
    expect(query.get("memberId")).toBe("");
    expect(query.get("userId")).toBe(adminUserId);
    expect(query.get("locations")).toBe(`${locationIds[0]}, ${locationIds[1]}`);
    const [tPart, digestPart] = (query.get("signature") ?? "").split(",");
    const t = tPart?.slice(2) ?? "";
    const all = Object.fromEntries([...query.entries()].filter(([key]) => key !== "signature"));
    const { memberId: _dropped, ...withoutMemberId } = all;
    expect(digestPart).toBe(`signature=${signatureOf(withoutMemberId, integration.secret, t)}`);
    expect(digestPart).not.toBe(`signature=${signatureOf(all, integration.secret, t)}`);
  });

  it("signs Sync's enabled too, and the Connect URL joins locations with ', '", async () => {
    const integration = await emulator.control("/integrations", {
      org: ACME,
      locations: [locationIds[0], locationIds[2]],
    });
    await emulator.control("/signed-call", {
      integrationId: integration._id,
      target: "sync",
      enabled: true,
      quoteOrganizationId: false,
    });
    const query = partner.received.at(-1)?.url.searchParams ?? new URLSearchParams();
    expect([...query.keys()]).toEqual([
      "slug",
      "locations",
      "organizationId",
      "memberId",
      "userId",
      "enabled",
      "signature",
    ]);
    const [tPart, digestPart] = (query.get("signature") ?? "").split(",");
    const { memberId: _dropped, ...signed } = Object.fromEntries(
      [...query.entries()].filter(([key]) => key !== "signature"),
    );
    expect(digestPart).toBe(`signature=${signatureOf(signed, integration.secret, tPart?.slice(2) ?? "")}`);
    const { connectUrl } = await emulator.control("/authorization-codes", { integrationId: integration._id });
    expect(new URL(connectUrl).searchParams.get("locations")).toBe(`${locationIds[0]}, ${locationIds[2]}`);
  });

  it("sends webhooks without a top-level id or createdAt", async () => {
    const token = await emulator.token(LEGACY);
    await subscribe(token, ["member.created"]);
    await emulator.control(`/orgs/${ACME}/members`, { name: "Grace Hopper", location: locationIds[0] });
    const [event] = await deliveredEvents();
    expect(Object.keys(event)).toEqual(["eventType", "data"]);
    expect(event.data.object).toHaveProperty("location", locationIds[0]);
  });
});

describe("region", () => {
  it("puts the organisation at a second host: regionUrl differs from the app URL, which answers only the organisation", async () => {
    await useProfile("region");
    expect(emulator.regionUrl).not.toBe(emulator.url);
    const token = await emulator.token(LEGACY);
    const organization = await emulator.api(V1, token);
    expect(organization.body.regionInfo.regionUrl).toBe(emulator.regionUrl);
    expect(((await emulator.state()) as Json).regionUrl).toBe(emulator.regionUrl);
    const atAppUrl = await emulator.api(`${V2}/members?$limit=1`, token);
    expect(atAppUrl.status).toBe(404);
    const atRegion = await fetch(`${emulator.regionUrl}${V2}/members?$limit=1`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(atRegion.status).toBe(200);
    const integration = await emulator.control("/integrations", { org: ACME });
    const secret = await fetch(
      `${emulator.regionUrl}${V1}/integrations/${integration._id}?appClientId=${CLIENT.id}`,
      {
        headers: { authorization: `Bearer ${token}` },
      },
    );
    expect(secret.status).toBe(200);
    expect((await fetch(`${emulator.regionUrl}/connect/external-integration/return`)).status).toBe(200);
  });
});

describe("locations-change", () => {
  it("edits a connected integration's locations once, before the next signed call; the API then lists them", async () => {
    await useProfile("locations-change");
    const integration = await connect([at(0), at(1)]);
    await emulator.control("/signed-call", { integrationId: integration._id, target: "healthcheck" });
    const expected = [locationIds[0], locationIds[1], locationIds[2]];
    expect(partner.received.at(-1)?.url.searchParams.get("locations")).toBe(expected.join(","));
    const token = await emulator.token(LEGACY);
    expect((await emulator.api(`${V2}/integrations/${integration._id}`, token)).body.locations).toEqual(
      expected,
    );
    await emulator.control("/signed-call", { integrationId: integration._id, target: "sync" });
    expect(partner.received.at(-1)?.url.searchParams.get("locations")).toBe(expected.join(","));
    expect(await emulator.control(`/integrations/${integration._id}`)).toMatchObject({
      locations: expected,
      locationsEditedAt: expect.any(String),
    });
  });

  it("leaves an integration that is not connected yet alone; PATCH edits locations in any profile", async () => {
    await useProfile("locations-change");
    const integration = await emulator.control("/integrations", { org: ACME, locations: [locationIds[0]] });
    await emulator.control("/signed-call", { integrationId: integration._id, target: "healthcheck" });
    expect(partner.received.at(-1)?.url.searchParams.get("locations")).toBe(locationIds[0]);
    await useProfile("v2");
    expect(
      await emulator.control(`/integrations/${integration._id}`, { locations: [locationIds[3]] }, "PATCH"),
    ).toMatchObject({ locations: [locationIds[3]] });
    const refused = await emulator.request(`/_emulator/integrations/${integration._id}`, {
      method: "PATCH",
      body: JSON.stringify({ locations: ["nope"] }),
    });
    expect(refused.status).toBe(400);
  });
});
