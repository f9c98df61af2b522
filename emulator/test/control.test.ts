import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ACME, GLOBEX, startHarness, type Harness, type Json } from "./support/harness";

// The control API tests drive: reset and re-seed, state, record mutations, activity, clock, snapshots.

let emulator: Harness;
beforeAll(async () => {
  emulator = await startHarness({ members: 40, companies: 8 });
});
afterAll(() => emulator.close());
beforeEach(() => emulator.control("/reset", {}));

describe("state and reset", () => {
  it("describes two organisations with 4 and 2 locations, counts and the partner URLs", async () => {
    const state = await emulator.control("/state");
    expect(
      state.organizations.map((org: Json) => [
        org.slug,
        org.name,
        org.locations.length,
        org.memberCount,
        org.companyCount,
      ]),
    ).toEqual([
      [ACME, "Acme Coworking", 4, 40, 8],
      [GLOBEX, "Globex Spaces", 2, 40, 8],
    ]);
    expect(state.partner).toEqual({
      baseUrl: "http://localhost:3000",
      connect: "http://localhost:3000/connect",
      configure: "http://localhost:3000/configure",
      healthcheck: "http://localhost:3000/api/officernd/healthcheck",
      sync: "http://localhost:3000/api/officernd/sync",
    });
    expect(state.app).toEqual({
      clientId: "demo-partner-app",
      clientSecret: "demo-partner-secret",
      redirectUri: "http://localhost:3000/connect",
      permissions: ["read", "write"],
      homeOrg: ACME,
    });
  });

  it("re-seeds on reset: same seed, same data; another seed or size, other data; changes are dropped", async () => {
    const before = await emulator.snapshot(ACME, "members");
    await emulator.control(`/orgs/${ACME}/members`, { name: "Temporary" });
    await emulator.control("/integrations", { org: ACME });
    await emulator.control("/reset", {});
    expect(await emulator.snapshot(ACME, "members")).toEqual(before);
    expect(await emulator.control("/integrations")).toEqual([]);
    await emulator.control("/reset", { seed: 2, members: 10, companies: 1 });
    const reseeded = await emulator.snapshot(ACME, "members");
    expect(reseeded).toHaveLength(10);
    expect(reseeded[0]._id).not.toBe(before[0]._id);
  });
});

describe("record mutations", () => {
  it("creates, updates and removes members, companies and locations, visible through the API", async () => {
    const token = await emulator.token();
    const state = await emulator.state();
    const location = state.organizations[0]?.locations[1]?._id;
    const member = await emulator.control(`/orgs/${ACME}/members`, {
      name: "Grace Hopper",
      location,
      status: "pending",
      _id: "ignored",
    });
    expect(member).toMatchObject({
      name: "Grace Hopper",
      location,
      status: "pending",
      _id: expect.stringMatching(/^[0-9a-f]{24}$/),
    });
    expect(member._id).not.toBe("ignored");
    expect((await emulator.api(`/api/v2/organizations/${ACME}/members/${member._id}`, token)).body).toEqual(
      member,
    );
    const updated = await emulator.control(
      `/orgs/${ACME}/members/${member._id}`,
      { status: "active" },
      "PATCH",
    );
    expect(updated.modifiedAt >= member.modifiedAt).toBe(true);
    expect(await emulator.control(`/orgs/${ACME}/members/${member._id}`, undefined, "DELETE")).toEqual(
      updated,
    );
    expect((await emulator.api(`/api/v2/organizations/${ACME}/members/${member._id}`, token)).status).toBe(
      404,
    );

    const newLocation = await emulator.control(`/orgs/${ACME}/locations`, {
      name: "Acme Dublin",
      timezone: "Europe/Dublin",
    });
    expect((await emulator.api(`/api/v2/organizations/${ACME}/locations`, token)).body.results).toHaveLength(
      5,
    );
    const company = await emulator.control(`/orgs/${ACME}/companies`, {
      name: "Dublin Labs",
      location: newLocation._id,
    });
    const inDublin = await emulator.api(
      `/api/v2/organizations/${ACME}/companies?location=${newLocation._id}`,
      token,
    );
    expect(inDublin.body.results).toEqual([company]);
    const counts = (await emulator.state()).organizations[0]?.locations;
    expect(counts?.[4]).toMatchObject({ _id: newLocation._id, companyCount: 1, memberCount: 0 });
  });

  it("moves a generated member between locations in listings and counts", async () => {
    const token = await emulator.token();
    const [from, to] = (await emulator.state()).organizations[0]?.locations ?? [];
    const member = (await emulator.snapshot(ACME, "members", from?._id))[0];
    await emulator.control(`/orgs/${ACME}/members/${member._id}`, { location: to?._id }, "PATCH");
    const target = await emulator.api(`/api/v2/organizations/${ACME}/members?location=${to?._id}`, token);
    const source = await emulator.snapshot(ACME, "members", from?._id);
    expect(target.body.results.map((item: Json) => item._id)).toContain(member._id);
    expect(source.map((item) => item._id)).not.toContain(member._id);
    const counts = (await emulator.state()).organizations[0]?.locations;
    expect([counts?.[0]?.memberCount, counts?.[1]?.memberCount]).toEqual([
      (from?.memberCount ?? 0) - 1,
      (to?.memberCount ?? 0) + 1,
    ]);
  });

  it("answers 404 for unknown organisations, kinds and records, 400 for bad bodies", async () => {
    expect(
      (await emulator.request(`/_emulator/orgs/nope/members`, { method: "POST", body: "{}" })).status,
    ).toBe(404);
    expect(
      (await emulator.request(`/_emulator/orgs/${ACME}/spaceships`, { method: "POST", body: "{}" })).status,
    ).toBe(404);
    expect(
      (
        await emulator.request(`/_emulator/orgs/${ACME}/members/000000000000000000000000`, {
          method: "DELETE",
        })
      ).status,
    ).toBe(404);
    const bad = await emulator.request("/_emulator/clock", {
      method: "POST",
      body: JSON.stringify({ minutes: 3 }),
    });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toEqual(expect.arrayContaining([expect.stringContaining("seconds")]));
  });
});

describe("activity", () => {
  it("creates, updates and removes members and companies in the chosen locations, with events", async () => {
    const location = (await emulator.state()).organizations[0]?.locations[2]?._id ?? "";
    const { changes } = await emulator.control("/activity", { org: ACME, count: 6, locations: [location] });
    expect(changes.map((change: Json) => change.eventType)).toEqual([
      "member.created",
      "member.updated",
      "company.created",
      "company.updated",
      "member.removed",
      "company.removed",
    ]);
    const events = await emulator.control(`/events?org=${ACME}`);
    expect(events.map((event: Json) => event.eventType)).toEqual(
      changes.map((change: Json) => change.eventType),
    );
    for (const event of events) {
      if (event.eventType.endsWith(".removed")) continue;
      expect(event.data.object.location).toBe(location);
    }
  });
});

describe("clock", () => {
  it("shifts the emulator's notion of now", async () => {
    const before = await emulator.control("/clock");
    const after = await emulator.control("/clock", { seconds: 3600 });
    expect(after.offsetSeconds).toBe(3600);
    expect(Date.parse(after.now) - Date.parse(before.now)).toBeGreaterThanOrEqual(3_600_000);
    const member = await emulator.control(`/orgs/${ACME}/members`, {});
    expect(Date.parse(member.createdAt) - Date.now()).toBeGreaterThan(3_590_000);
  });
});

describe("snapshots", () => {
  it("streams NDJSON per kind and location and requires kind", async () => {
    const response = await fetch(`${emulator.url}/_emulator/data/${ACME}?kind=locations`);
    expect(response.headers.get("content-type")).toContain("application/x-ndjson");
    expect((await response.text()).trim().split("\n")).toHaveLength(4);
    const location = (await emulator.state()).organizations[0]?.locations[0];
    expect(await emulator.snapshot(ACME, "members", location?._id)).toHaveLength(location?.memberCount ?? -1);
    expect((await emulator.request(`/_emulator/data/${ACME}`)).status).toBe(400);
  });
});
