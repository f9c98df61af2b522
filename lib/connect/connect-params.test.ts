import { describe, expect, it } from "vitest";
import { locationsKeyOf, parseConnectParams, toLocationIds } from "./connect-params";

const query = (values: Record<string, string>) => new URLSearchParams(values);
const valid = {
  code: "abc123",
  org_slug: "acme-coworking",
  locations: "loc2,loc1",
  integrationId: "6985f1694cc913fc5ac7bf8c",
};

describe("parseConnectParams", () => {
  it("accepts OfficeRnD's four parameters, with the locations split, de-duplicated and sorted", () => {
    expect(parseConnectParams(query({ ...valid, locations: " loc2 ,loc1,loc2," }))).toEqual({
      ok: true,
      params: {
        code: "abc123",
        org_slug: "acme-coworking",
        integrationId: "6985f1694cc913fc5ac7bf8c",
        locations: ["loc1", "loc2"],
      },
    });
  });

  it("reads an empty locations as every location, and a missing one as not given (the integration's own list is taken)", () => {
    expect(parseConnectParams(query({ ...valid, locations: "" }))).toMatchObject({
      ok: true,
      params: { locations: [] },
    });
    const { locations: _locations, ...withoutLocations } = valid;
    expect(parseConnectParams(query(withoutLocations))).toMatchObject({
      ok: true,
      params: { locations: null },
    });
  });

  it.each([
    ["code", { code: "" }],
    ["org_slug", { org_slug: "-bad" }],
    ["org_slug", { org_slug: "a/b" }],
    ["integrationId", { integrationId: "x y" }],
    ["locations", { locations: "ok,<bad>" }],
  ])("refuses a bad %s", (field, change) => {
    const result = parseConnectParams(query({ ...valid, ...change }));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problem).toContain(field);
  });

  it("refuses a repeated parameter instead of picking one", () => {
    const repeated = query(valid);
    repeated.append("integrationId", "other");
    expect(parseConnectParams(repeated)).toEqual({ ok: false, problem: "integrationId is repeated" });
  });
});

describe("location keys", () => {
  it("are sorted and comma-joined, '' for all locations", () => {
    expect(locationsKeyOf(["b", "a"])).toBe("a,b");
    expect(locationsKeyOf(toLocationIds(""))).toBe("");
  });
});
