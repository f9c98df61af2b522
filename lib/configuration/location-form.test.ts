import { describe, expect, it } from "vitest";
import { toFieldErrors } from "@/lib/validated-action";
import { locationFormSchema } from "./location-form";

const VALID = {
  syncEnabled: "on",
  syncMembers: "on",
  syncCompanies: "on",
  memberStatuses: ["active", "drop-in", "active"],
  "member.name": "name",
  "member.email": "email",
  "member.company": "company.name",
  "member.tags": "tags",
  "member.properties": "plan",
  "company.name": "name",
  "company.email": "email",
  "company.tags": "tags",
  "company.properties": "",
};

describe("locationFormSchema", () => {
  it("turns the flat form into settings and a field mapping", () => {
    expect(locationFormSchema.parse(VALID)).toEqual({
      syncEnabled: true,
      settings: { syncMembers: true, syncCompanies: true, memberStatuses: ["active", "drop-in"] },
      fieldMapping: {
        member: {
          name: "name",
          email: "email",
          company: "company.name",
          tags: "tags",
          properties: [{ from: "plan", to: "plan" }],
        },
        company: { name: "name", email: "email", tags: "tags", properties: [] },
      },
    });
  });

  it("reads unchecked boxes as false and a single status as a list", () => {
    const parsed = locationFormSchema.parse({
      ...VALID,
      syncEnabled: undefined,
      syncCompanies: undefined,
      memberStatuses: "former",
    });
    expect(parsed).toMatchObject({
      syncEnabled: false,
      settings: { syncCompanies: false, memberStatuses: ["former"] },
    });
  });

  it("keeps a valid status list when members are not synced", () => {
    const parsed = locationFormSchema.parse({ ...VALID, syncMembers: undefined, memberStatuses: undefined });
    expect(parsed.settings).toEqual({ syncMembers: false, syncCompanies: true, memberStatuses: ["active"] });
  });

  it.each([
    [{ syncMembers: undefined, syncCompanies: undefined }, "syncMembers"],
    [{ memberStatuses: undefined }, "memberStatuses"],
    [{ memberStatuses: ["lead"] }, "memberStatuses.0"],
    [{ "member.company": "billingDetails.vatNumber" }, "member.company"],
    [{ "company.properties": "ok, not ok" }, "company.properties"],
  ])("reports %o under %s", (overrides, field) => {
    const parsed = locationFormSchema.safeParse({ ...VALID, ...overrides });
    expect(parsed.success).toBe(false);
    if (!parsed.success) expect(Object.keys(toFieldErrors(parsed.error))).toContain(field);
  });
});
