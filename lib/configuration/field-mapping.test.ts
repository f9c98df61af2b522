import { describe, expect, it } from "vitest";
import { DEFAULT_FIELD_MAPPING, mapCompany, mapMember, parseFieldMapping, parsePropertyList } from "./field-mapping";
import { formatPropertyList } from "./form-options";

const MEMBER = {
  _id: "m1",
  name: "Ada Lovelace",
  email: "ada@example.com",
  status: "active",
  tags: ["vip", 3],
  billingDetails: { billingName: "Ada L. Ltd" },
  properties: { plan: "Hot desk", floor: 2 },
};

describe("parsePropertyList", () => {
  it("reads keys and key=partnerKey pairs, one per line or comma-separated", () => {
    expect(parsePropertyList("plan\nfloor = level, badge=badgeId")).toEqual({
      ok: true,
      value: [
        { from: "plan", to: "plan" },
        { from: "floor", to: "level" },
        { from: "badge", to: "badgeId" },
      ],
    });
    expect(parsePropertyList("  \n")).toEqual({ ok: true, value: [] });
  });

  it.each([["has space"], ["a=b=c"], ["1starts-with-digit"], ["a=x\nb=x"], [Array.from({ length: 21 }, (_, index) => `k${index}`).join("\n")]])(
    "refuses %j with a message",
    (text) => {
      const parsed = parsePropertyList(text);
      expect(parsed.ok).toBe(false);
    },
  );

  it("round-trips through formatPropertyList", () => {
    const parsed = parsePropertyList("plan\nfloor=level");
    expect(parsed.ok && formatPropertyList(parsed.value)).toBe("plan\nfloor=level");
  });
});

describe("parseFieldMapping", () => {
  it("gives the defaults for missing or invalid stored mappings, per entity", () => {
    expect(parseFieldMapping({})).toEqual(DEFAULT_FIELD_MAPPING);
    expect(parseFieldMapping(null)).toEqual(DEFAULT_FIELD_MAPPING);
    const partly = parseFieldMapping({ fieldMapping: { member: { name: "secret" }, company: { ...DEFAULT_FIELD_MAPPING.company, tags: "none" } } });
    expect(partly.member).toEqual(DEFAULT_FIELD_MAPPING.member);
    expect(partly.company.tags).toBe("none");
  });
});

describe("mapMember / mapCompany", () => {
  it("maps with the defaults: same-named fields, company name, tags, no custom properties", () => {
    expect(mapMember(MEMBER, { mapping: DEFAULT_FIELD_MAPPING.member, companyName: "Acme" })).toEqual({
      name: "Ada Lovelace",
      email: "ada@example.com",
      company: "Acme",
      tags: ["vip"],
      properties: {},
    });
  });

  it("follows a changed mapping", () => {
    const mapping = {
      name: "email",
      email: "none",
      company: "billingDetails.billingName",
      tags: "status",
      properties: [{ from: "plan", to: "membership" }],
    } as const;
    expect(mapMember(MEMBER, { mapping: { ...mapping, properties: [...mapping.properties] }, companyName: "Acme" })).toEqual({
      name: "ada@example.com",
      email: null,
      company: "Ada L. Ltd",
      tags: ["active"],
      properties: { membership: "Hot desk" },
    });
    expect(mapCompany({ name: "Acme", email: "hi@acme.test", tags: "not-a-list" }, { ...DEFAULT_FIELD_MAPPING.company, email: "none" })).toEqual({
      name: "Acme",
      email: null,
      tags: ["not-a-list"],
      properties: {},
    });
  });
});
