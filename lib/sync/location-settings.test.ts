import { describe, expect, it } from "vitest";
import {
  DEFAULT_LOCATION_SETTINGS,
  locationSettingsSchema,
  parseLocationSettings,
} from "@/lib/sync/location-settings";

describe("locationSettingsSchema", () => {
  it("defaults to everything, active members only", () => {
    expect(locationSettingsSchema.parse({})).toEqual({
      syncMembers: true,
      syncCompanies: true,
      memberStatuses: ["active"],
    });
  });

  it("refuses unknown statuses and an empty status list, and removes repeats", () => {
    expect(locationSettingsSchema.safeParse({ memberStatuses: ["retired"] }).success).toBe(false);
    expect(locationSettingsSchema.safeParse({ memberStatuses: [] }).success).toBe(false);
    expect(locationSettingsSchema.parse({ memberStatuses: ["former", "former"] }).memberStatuses).toEqual([
      "former",
    ]);
  });
});

describe("parseLocationSettings", () => {
  it("never fails: each invalid field takes its default, valid ones are kept", () => {
    expect(parseLocationSettings(null)).toEqual(DEFAULT_LOCATION_SETTINGS);
    expect(parseLocationSettings("junk")).toEqual(DEFAULT_LOCATION_SETTINGS);
    expect(
      parseLocationSettings({
        syncMembers: "yes",
        syncCompanies: false,
        memberStatuses: ["lead"],
        fieldMapping: {},
      }),
    ).toEqual({
      syncMembers: true,
      syncCompanies: false,
      memberStatuses: ["lead"],
    });
  });
});
