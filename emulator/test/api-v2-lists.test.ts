import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ACME, startHarness, type Harness, type Json } from "./support/harness";
import { readAllPages } from "./support/read-all-pages";

// API v2 lists (spec §4): `$limit` ≤ 50, cursors to the last page without duplicates or gaps,
// filters, `$select`, single items and NestJS 404/400 bodies.

let emulator: Harness;
let token: string;
let locationIds: string[];

beforeAll(async () => {
  emulator = await startHarness({ members: 230, companies: 23 });
});
afterAll(() => emulator.close());
beforeEach(async () => {
  await emulator.control("/reset", {});
  token = await emulator.token("officernd.api.read");
  locationIds = (await emulator.state()).organizations[0]?.locations.map((location) => location._id) ?? [];
});

const base = (resource: string) => `/api/v2/organizations/${ACME}/${resource}`;

const readAll = (resource: string, query: Record<string, string> = {}) =>
  readAllPages(emulator, token, base(resource), query);

describe("pagination", () => {
  it("pages members to the last page with no duplicates and no gaps", async () => {
    const { pages, records } = await readAll("members");
    const expected = await emulator.snapshot(ACME, "members");
    expect(records.map((member) => member._id)).toEqual(expected.map((member) => member._id));
    expect(records).toHaveLength(230);
    expect(pages.map((page) => [page.rangeStart, page.rangeEnd])).toEqual([
      [1, 50],
      [51, 100],
      [101, 150],
      [151, 200],
      [201, 230],
    ]);
    expect(pages[0].cursorPrev).toBeNull();
    expect(pages[4].cursorNext).toBeNull();
    expect(Object.keys(pages[0]).sort()).toEqual(
      ["cursorNext", "cursorPrev", "rangeEnd", "rangeStart", "results"].sort(),
    );
  });

  it("caps $limit at 50 and honours smaller limits", async () => {
    expect((await emulator.api(`${base("members")}?$limit=500`, token)).body.results).toHaveLength(50);
    const { records, pages } = await readAll("companies", { $limit: "7" });
    expect(pages).toHaveLength(4);
    expect(records).toHaveLength(23);
  });

  it("goes back with $cursorPrev", async () => {
    const first = (await emulator.api(`${base("members")}?$limit=10`, token)).body;
    const second = (await emulator.api(`${base("members")}?$limit=10&$cursorNext=${first.cursorNext}`, token))
      .body;
    const back = (await emulator.api(`${base("members")}?$limit=10&$cursorPrev=${second.cursorPrev}`, token))
      .body;
    expect(back.results).toEqual(first.results);
    expect(back.cursorPrev).toBeNull();
  });

  it("keeps paging correct while records are created and removed between pages", async () => {
    const first = (await emulator.api(`${base("members")}?$limit=50`, token)).body;
    const removed = first.results[10]._id;
    const laterOne = (await emulator.snapshot(ACME, "members"))[120]._id;
    await emulator.control(`/orgs/${ACME}/members/${laterOne}`, undefined, "DELETE");
    const created = await emulator.control(`/orgs/${ACME}/members`, { name: "Late Arrival" });
    await emulator.control(`/orgs/${ACME}/members/${removed}`, undefined, "DELETE");
    const rest: Json[] = [];
    let next = first.cursorNext;
    while (next) {
      const page = (await emulator.api(`${base("members")}?$cursorNext=${next}`, token)).body;
      rest.push(...page.results);
      next = page.cursorNext;
    }
    const ids = rest.map((member) => member._id);
    expect(ids).not.toContain(laterOne);
    expect(ids[ids.length - 1]).toBe(created._id);
    expect(new Set([...first.results.map((member: Json) => member._id), ...ids]).size).toBe(50 + ids.length);
  });

  it("answers 400 with NestJS messages for a bad $limit or cursor", async () => {
    const response = await emulator.api(`${base("members")}?$limit=zero&$cursorNext=garbage`, token);
    expect(response.status).toBe(400);
    expect(response.body).toEqual({
      statusCode: 400,
      message: ["$limit must be a positive integer", "$cursorNext is not a valid cursor"],
      error: "Bad Request",
    });
  });
});

describe("filters", () => {
  it("filters members by location", async () => {
    const location = locationIds[2] ?? "";
    const { records } = await readAll("members", { location });
    const expected = await emulator.snapshot(ACME, "members", location);
    expect(records.map((member) => member._id)).toEqual(expected.map((member) => member._id));
    expect(records.every((member) => member.location === location)).toBe(true);
    const state = await emulator.state();
    expect(records).toHaveLength(state.organizations[0]?.locations[2]?.memberCount ?? -1);
  });

  it("filters by status and status[$in]", async () => {
    const all = await emulator.snapshot(ACME, "members");
    const { records: former } = await readAll("members", { status: "former" });
    expect(former.map((member) => member._id)).toEqual(
      all.filter((member) => member.status === "former").map((member) => member._id),
    );
    const { records: some } = await readAll("members", { "status[$in]": "pending,drop-in" });
    expect(some.map((member) => member._id)).toEqual(
      all.filter((member) => ["pending", "drop-in"].includes(member.status)).map((member) => member._id),
    );
    expect(some.length).toBeGreaterThan(0);
  });

  it("filters by modifiedAt ranges, including changes made now", async () => {
    const all = await emulator.snapshot(ACME, "members");
    const cut = "2023-06-01T00:00:00.000Z";
    const { records: recent } = await readAll("members", { "modifiedAt[$gte]": cut });
    expect(recent.map((member) => member._id)).toEqual(
      all.filter((member) => member.modifiedAt >= cut).map((member) => member._id),
    );
    const { records: older } = await readAll("members", {
      "modifiedAt[$lt]": cut,
      "modifiedAt[$gt]": "2020-01-01T00:00:00.000Z",
    });
    expect(older.map((member) => member._id)).toEqual(
      all
        .filter((member) => member.modifiedAt < cut && member.modifiedAt > "2020-01-01T00:00:00.000Z")
        .map((member) => member._id),
    );
    const since = new Date().toISOString();
    const changed = await emulator.control(
      `/orgs/${ACME}/members/${all[3]._id}`,
      { phone: "+1 555 0100" },
      "PATCH",
    );
    const { records: fresh } = await readAll("members", { "modifiedAt[$gte]": since });
    expect(fresh).toEqual([changed]);
  });

  it("filters by _id, _id[$in] and company, and answers single items", async () => {
    const all = await emulator.snapshot(ACME, "members");
    const [a, b] = [all[5], all[77]];
    expect((await readAll("members", { _id: a._id })).records).toEqual([a]);
    expect((await readAll("members", { "_id[$in]": `${b._id},${a._id}` })).records).toEqual([a, b]);
    const withCompany = all.find((member) => member.company);
    const { records } = await readAll("members", { company: withCompany.company });
    expect(records.length).toBeGreaterThan(0);
    expect(records.every((member) => member.company === withCompany.company)).toBe(true);
    expect((await emulator.api(`${base("members")}/${a._id}`, token)).body).toEqual(a);
  });

  it("filters companies by location and locations by isOpen", async () => {
    const location = locationIds[1] ?? "";
    const { records } = await readAll("companies", { location });
    expect(records.length).toBeGreaterThan(0);
    expect(records.every((company) => company.location === location)).toBe(true);
    const open = (await readAll("locations", { isOpen: "true" })).records;
    expect(open.map((location) => location.name)).toEqual([
      "Acme Shoreditch",
      "Acme Manchester",
      "Acme Berlin Mitte",
    ]);
  });

  it("applies $select", async () => {
    const response = await emulator.api(`${base("members")}?$limit=2&$select=name,email`, token);
    expect(Object.keys(response.body.results[0])).toEqual(["_id", "name", "email"]);
  });
});

describe("record shapes", () => {
  it("returns members, companies and locations with the spec's fields", async () => {
    const member = (await emulator.api(`${base("members")}?$limit=1`, token)).body.results[0];
    for (const field of [
      "_id",
      "name",
      "email",
      "phone",
      "location",
      "company",
      "status",
      "startDate",
      "createdAt",
      "modifiedAt",
      "tags",
      "properties",
      "address",
      "billingDetails",
      "portalPrivacy",
      "socialProfiles",
      "isBillingPerson",
      "isContactPerson",
    ]) {
      expect(member).toHaveProperty(field);
    }
    const company = (await emulator.api(`${base("companies")}?$limit=1`, token)).body.results[0];
    for (const field of [
      "_id",
      "name",
      "email",
      "location",
      "status",
      "startDate",
      "billingDetails",
      "hasActiveMembersAllowance",
      "tags",
      "properties",
      "createdAt",
      "createdBy",
      "modifiedAt",
      "modifiedBy",
    ]) {
      expect(company).toHaveProperty(field);
    }
    const location = (await emulator.api(`${base("locations")}?$limit=1`, token)).body.results[0];
    for (const field of [
      "_id",
      "name",
      "timezone",
      "isOpen",
      "isPublic",
      "code",
      "address",
      "image",
      "properties",
      "targetRevenuePerPeriod",
    ]) {
      expect(location).toHaveProperty(field);
    }
    expect(new Date(member.modifiedAt).toISOString()).toBe(member.modifiedAt);
  });

  it("answers a NestJS 404 for a missing member and for an unknown route", async () => {
    const missing = await emulator.api(`${base("members")}/5f0000000000000000000000`, token);
    expect(missing.body).toEqual({ statusCode: 404, message: "Member not found", error: "Not Found" });
    const unknown = await emulator.api(`${base("spaceships")}`, token);
    expect(unknown.body).toEqual({
      statusCode: 404,
      message: `Cannot GET ${base("spaceships")}`,
      error: "Not Found",
    });
  });

  it("uses mostly active statuses with some former, pending and drop-in", async () => {
    const counts = new Map<string, number>();
    for (const member of await emulator.snapshot(ACME, "members"))
      counts.set(member.status, (counts.get(member.status) ?? 0) + 1);
    expect(counts.get("active")).toBeGreaterThan(150);
    expect([...counts.keys()].sort()).toEqual(["active", "drop-in", "former", "pending"]);
  });
});
