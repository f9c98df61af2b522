import { describe, expect, it } from "vitest";
import {
  DEFAULT_FIELD_MAPPING,
  mapCompany,
  mapMember,
  parseFieldMapping,
  parsePropertyList,
  validateFieldMapping,
} from "./field-mapping";
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

  const NOT_A_NAME =
    'is not a property name: use letters, digits, "_", "-" or ".", optionally "officerndKey=partnerKey".';
  it.each([
    ["has space", `"has space" ${NOT_A_NAME}`],
    ["a=b=c", `"a=b=c" ${NOT_A_NAME}`],
    ["1starts-with-digit", `"1starts-with-digit" ${NOT_A_NAME}`],
    ["a=x\nb=x", '"x" is filled twice.'],
    [Array.from({ length: 21 }, (_, index) => `k${index}`).join("\n"), "At most 20 custom properties."],
  ])("refuses %j with a message", (text, message) => {
    expect(parsePropertyList(text)).toEqual({ ok: false, message });
  });

  it("round-trips through formatPropertyList", () => {
    const parsed = parsePropertyList("plan\nfloor=level");
    expect(parsed.ok && formatPropertyList(parsed.value)).toBe("plan\nfloor=level");
  });
});

describe("parseFieldMapping", () => {
  it("gives the defaults for missing or invalid stored mappings, per entity", () => {
    expect(parseFieldMapping({})).toEqual(DEFAULT_FIELD_MAPPING);
    expect(parseFieldMapping(null)).toEqual(DEFAULT_FIELD_MAPPING);
    const partly = parseFieldMapping({
      fieldMapping: {
        member: { name: "secret" },
        company: { ...DEFAULT_FIELD_MAPPING.company, tags: "none" },
      },
    });
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
    expect(
      mapMember(MEMBER, {
        mapping: { ...mapping, properties: [...mapping.properties] },
        companyName: "Acme",
      }),
    ).toEqual({
      name: "ada@example.com",
      email: null,
      company: "Ada L. Ltd",
      tags: ["active"],
      properties: { membership: "Hot desk" },
    });
    expect(
      mapCompany(
        { name: "Acme", email: "hi@acme.test", tags: "not-a-list" },
        { ...DEFAULT_FIELD_MAPPING.company, email: "none" },
      ),
    ).toEqual({
      name: "Acme",
      email: null,
      tags: ["not-a-list"],
      properties: {},
    });
  });
});

describe("validateFieldMapping", () => {
  it("accepts the defaults and a name taken from a copied email", () => {
    expect(validateFieldMapping(DEFAULT_FIELD_MAPPING)).toEqual({ ok: true, mapping: DEFAULT_FIELD_MAPPING });
    const byEmail = { ...DEFAULT_FIELD_MAPPING, member: { ...DEFAULT_FIELD_MAPPING.member, name: "email" } };
    expect(validateFieldMapping(byEmail).ok).toBe(true);
  });

  it("refuses a name taken from an email that is not copied, naming member.name", () => {
    const result = validateFieldMapping({
      ...DEFAULT_FIELD_MAPPING,
      member: { ...DEFAULT_FIELD_MAPPING.member, name: "email", email: "none" },
    });
    expect(result).toEqual({
      ok: false,
      fieldErrors: { "member.name": [expect.stringContaining("Email is set to")] },
    });
  });

  it("refuses an unknown source and a custom property that overwrites a standard field, naming each field", () => {
    const result = validateFieldMapping({
      member: { ...DEFAULT_FIELD_MAPPING.member, tags: "colour" },
      company: { ...DEFAULT_FIELD_MAPPING.company, properties: [{ from: "vat", to: "vat" }] },
    });
    expect(result.ok).toBe(false);
    expect(Object.keys(!result.ok ? result.fieldErrors : {})).toEqual(["member.tags"]);
    const reserved = validateFieldMapping({
      ...DEFAULT_FIELD_MAPPING,
      company: { ...DEFAULT_FIELD_MAPPING.company, properties: [{ from: "vat", to: "email" }] },
    });
    expect(reserved).toEqual({
      ok: false,
      fieldErrors: { "company.properties": [expect.stringContaining('"email" is a standard field')] },
    });
  });
});
