import { describe, expect, it } from "vitest";
import { describeIssues, readEntityShape } from "@/lib/webhooks/entity-shape";

const MODIFIED = "2026-11-29T10:00:00.000Z";
const v2Member = {
  _id: "m1",
  name: "Ann",
  email: "ann@x.test",
  location: "loc1",
  company: "c1",
  status: "active",
  modifiedAt: MODIFIED,
  phone: "1",
};
const v1Member = {
  _id: "m1",
  name: "Ann",
  email: "ann@x.test",
  office: "loc1",
  team: "c1",
  status: "active",
  modifiedAt: MODIFIED,
};
const v2Company = {
  _id: "c1",
  name: "Co",
  email: null,
  location: "loc1",
  status: "active",
  modifiedAt: MODIFIED,
};
const v1Company = { _id: "c1", name: "Co", office: "loc1", status: "active", modifiedAt: MODIFIED };
const location = { _id: "loc1", name: "HQ", modifiedAt: MODIFIED, timezone: "UTC" };

const issuesOf = (result: ReturnType<typeof readEntityShape>) =>
  result.ok ? [] : result.issues.map((issue) => issue.path);

describe("readEntityShape: complete documents of either generation", () => {
  it("reads a v2 member as is, keeping the other fields", () => {
    expect(readEntityShape("members", v2Member)).toEqual({ ok: true, generation: "v2", record: v2Member });
  });

  it("maps a v1 member's office and team to location and company", () => {
    const result = readEntityShape("members", v1Member);
    expect(result).toMatchObject({
      ok: true,
      generation: "v1",
      record: { _id: "m1", location: "loc1", company: "c1", status: "active", office: "loc1" },
    });
  });

  it("reads populated v1 references ({_id, name}) and a member without a company (null)", () => {
    const result = readEntityShape("members", {
      ...v1Member,
      office: { _id: "loc1", name: "HQ" },
      team: null,
    });
    expect(result).toMatchObject({ ok: true, generation: "v1", record: { location: "loc1", company: null } });
  });

  it("prefers the v2 field when both generations' fields are present", () => {
    expect(readEntityShape("members", { ...v2Member, office: "loc9" })).toMatchObject({
      ok: true,
      generation: "v2",
      record: { location: "loc1" },
    });
  });

  it("reads v2 and v1 companies, and locations", () => {
    expect(readEntityShape("companies", v2Company)).toMatchObject({
      ok: true,
      generation: "v2",
      record: { location: "loc1" },
    });
    expect(readEntityShape("companies", v1Company)).toMatchObject({
      ok: true,
      generation: "v1",
      record: { location: "loc1", email: null },
    });
    expect(readEntityShape("locations", location)).toMatchObject({ ok: true, record: location });
  });

  it("treats an explicit null location as a value (in no location), not as a gap", () => {
    expect(readEntityShape("members", { ...v2Member, location: null })).toMatchObject({
      ok: true,
      record: { location: null },
    });
  });

  it("normalises modifiedAt to ISO", () => {
    expect(
      readEntityShape("locations", { ...location, modifiedAt: "2026-11-29T11:00:00+01:00" }),
    ).toMatchObject({ record: { modifiedAt: MODIFIED } });
  });
});

describe("readEntityShape: incomplete or odd documents are reported by path, never read as deleted", () => {
  it("the issue-11 object: v1 field names with the office missing", () => {
    const { office: _office, ...noOffice } = v1Member;
    const result = readEntityShape("members", noOffice, { path: "data.object" });
    expect(result.ok).toBe(false);
    expect(issuesOf(result)).toEqual(["data.object.location"]);
  });

  it.each([
    ["location", { location: undefined }, "location"],
    ["status", { status: undefined }, "status"],
    ["modifiedAt", { modifiedAt: undefined }, "modifiedAt"],
    ["company", { company: undefined }, "company"],
    ["name", { name: undefined }, "name"],
  ])("a v2 member without %s", (_field, change, path) => {
    expect(issuesOf(readEntityShape("members", { ...v2Member, ...change }))).toEqual([path]);
  });

  it.each([
    ["location as a number", { location: 7 }, "location"],
    ["office as an array", { location: undefined, office: ["loc1"] }, "office"],
    ["status as an object", { status: { value: "active" } }, "status"],
    ["modifiedAt unparsable", { modifiedAt: "yesterday" }, "modifiedAt"],
    ["email as a number", { email: 5 }, "email"],
    ["an empty _id", { _id: "" }, "_id"],
  ])("a member with %s", (_what, change, path) => {
    const result = readEntityShape("members", { ...v2Member, ...change });
    expect(result.ok).toBe(false);
    expect(issuesOf(result)).toEqual([path]);
  });

  it("lists every problem with its path and what was wrong", () => {
    const result = readEntityShape("companies", { _id: "c1", name: 3 }, { path: "data.object" });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(describeIssues(result.issues)).toBe(
      "data.object.name: expected a string, got number; data.object.modifiedAt: missing; data.object.location: missing (neither location nor office); data.object.status: missing",
    );
  });

  it("an object that is not an object at all", () => {
    expect(readEntityShape("members", "<html>", { path: "data.object" })).toEqual({
      ok: false,
      issues: [{ path: "data.object", problem: "expected an object, got string" }],
    });
    expect(readEntityShape("members", null).ok).toBe(false);
    expect(readEntityShape("members", [v2Member]).ok).toBe(false);
  });

  it("a record read from the API may omit an empty company", () => {
    const { company: _company, ...withoutCompany } = v2Member;
    expect(readEntityShape("members", withoutCompany).ok).toBe(false);
    expect(readEntityShape("members", withoutCompany, { isCompanyOptional: true })).toMatchObject({
      ok: true,
      record: { company: null },
    });
  });
});
