import { describe, expect, it } from "vitest";
import { DEFAULT_FIELD_MAPPING } from "@/lib/sync/field-mapping";
import { DEFAULT_LOCATION_SETTINGS } from "@/lib/sync/location-settings";
import { isInScope, maxModifiedAt, toPageRows, toSyncRow } from "@/lib/sync/mapping";
import { memberRecordSchema } from "@/lib/officernd/v2-schemas";

const member = memberRecordSchema.parse({
  _id: "m1",
  name: "Ann Lee",
  email: "ann@example.com",
  location: "loc1",
  company: "c1",
  status: "active",
  modifiedAt: "2025-01-02T03:04:05.678Z",
  tags: ["vip"],
});
const scope = new Map([["loc1", DEFAULT_LOCATION_SETTINGS]]);

describe("toSyncRow", () => {
  it("maps the queried columns and keeps the whole document", () => {
    expect(toSyncRow("members", member)).toEqual({
      remoteId: "m1",
      locationId: "loc1",
      companyId: "c1",
      name: "Ann Lee",
      email: "ann@example.com",
      status: "active",
      data: member,
      mapped: { name: "Ann Lee", email: "ann@example.com", company: null, tags: ["vip"], properties: {} },
      remoteModifiedAt: "2025-01-02T03:04:05.678Z",
      deletedAt: null,
    });
  });

  it("fills name, email and the partner record from the location's field mapping", () => {
    const fieldMapping = {
      member: {
        name: "email" as const,
        email: "email" as const,
        company: "company.name" as const,
        tags: "status" as const,
        properties: [],
      },
      company: DEFAULT_FIELD_MAPPING.company,
    };
    const row = toSyncRow("members", member, null, { fieldMapping, companyNames: new Map([["c1", "Acme"]]) });
    expect(row).toMatchObject({
      name: "ann@example.com",
      email: "ann@example.com",
      status: "active",
      data: member,
    });
    expect(row.mapped).toEqual({
      name: "ann@example.com",
      email: "ann@example.com",
      company: "Acme",
      tags: ["active"],
      properties: {},
    });
    const hidden = toSyncRow("members", member, null, {
      fieldMapping: { ...fieldMapping, member: { ...fieldMapping.member, name: "name", email: "none" } },
    });
    expect(hidden).toMatchObject({ name: "Ann Lee", email: null });
  });

  it("keeps only ids and times in a tombstone", () => {
    expect(toSyncRow("members", member, "2025-02-01T00:00:00.000Z")).toEqual({
      remoteId: "m1",
      locationId: "loc1",
      companyId: "c1",
      name: "",
      email: null,
      status: null,
      data: { _id: "m1", modifiedAt: "2025-01-02T03:04:05.678Z" },
      mapped: null,
      remoteModifiedAt: "2025-01-02T03:04:05.678Z",
      deletedAt: "2025-02-01T00:00:00.000Z",
    });
  });

  it("maps a location without member fields", () => {
    expect(toSyncRow("locations", { _id: "loc1", name: "HQ", modifiedAt: null })).toMatchObject({
      locationId: null,
      companyId: null,
      email: null,
      status: null,
    });
  });
});

describe("isInScope", () => {
  it("takes members of synced locations in the chosen statuses", () => {
    expect(isInScope("members", member, scope)).toBe(true);
    expect(isInScope("members", { ...member, status: "former" }, scope)).toBe(false);
    expect(isInScope("members", { ...member, location: "loc2" }, scope)).toBe(false);
    expect(isInScope("members", { ...member, location: null }, scope)).toBe(false);
    expect(
      isInScope("members", member, new Map([["loc1", { ...DEFAULT_LOCATION_SETTINGS, syncMembers: false }]])),
    ).toBe(false);
  });

  it("takes companies of synced locations unless switched off, and the locations themselves", () => {
    const company = { _id: "c1", name: "Co", location: "loc1", modifiedAt: null };
    expect(isInScope("companies", company, scope)).toBe(true);
    expect(
      isInScope(
        "companies",
        company,
        new Map([["loc1", { ...DEFAULT_LOCATION_SETTINGS, syncCompanies: false }]]),
      ),
    ).toBe(false);
    expect(isInScope("locations", { _id: "loc1", name: "HQ", modifiedAt: null }, scope)).toBe(true);
    expect(isInScope("locations", { _id: "loc9", name: "Elsewhere", modifiedAt: null }, scope)).toBe(false);
  });

  it("toPageRows turns out-of-scope records into tombstones", () => {
    const rows = toPageRows(
      "members",
      [member, { ...member, _id: "m2", status: "former" }],
      scope,
      "2025-03-01T00:00:00.000Z",
    );
    expect(rows.map((row) => row.deletedAt)).toEqual([null, "2025-03-01T00:00:00.000Z"]);
  });
});

describe("maxModifiedAt", () => {
  it("compares by time, not by text", () => {
    expect(
      maxModifiedAt(null, [
        { modifiedAt: "2025-01-01T00:00:00Z" },
        { modifiedAt: "2025-01-01T00:00:00.500Z" },
        { modifiedAt: null },
      ]),
    ).toBe("2025-01-01T00:00:00.500Z");
    expect(maxModifiedAt("2026-01-01T00:00:00.000Z", [{ modifiedAt: "2025-01-01T00:00:00Z" }])).toBe(
      "2026-01-01T00:00:00.000Z",
    );
    expect(maxModifiedAt(null, [])).toBeNull();
  });
});
