import { describe, expect, it } from "vitest";
import { describeLocations, describeSyncScope } from "./describe-locations";

describe("describeLocations", () => {
  it.each([
    [true, ["A"], "All locations"],
    [false, ["Shoreditch"], "Shoreditch"],
    [false, ["Shoreditch", "Soho"], "Shoreditch and Soho"],
    [false, ["A", "B", "C"], "A, B and C"],
    [false, ["A", "B", "C", "D", "E"], "A, B and 3 more"],
  ])("covers all %s, %j → %s", (coversAll, names, expected) => {
    expect(describeLocations({ coversAll, names })).toBe(expected);
  });
});

describe("describeSyncScope", () => {
  const locations = [
    { name: "Shoreditch", isSyncing: true },
    { name: "Soho", isSyncing: false },
  ];
  it("names the locations that sync", () => {
    expect(describeSyncScope({ installationSyncEnabled: true, isRemoved: false, locations })).toBe(
      "On for Shoreditch",
    );
  });
  it("says all when every location syncs", () => {
    expect(
      describeSyncScope({
        installationSyncEnabled: true,
        isRemoved: false,
        locations: locations.map((l) => ({ ...l, isSyncing: true })),
      }),
    ).toBe("On for all 2 locations");
  });
  it("is off when the installation is off or disconnected", () => {
    expect(describeSyncScope({ installationSyncEnabled: false, isRemoved: false, locations: [] })).toBe(
      "Off for every location",
    );
    expect(describeSyncScope({ installationSyncEnabled: true, isRemoved: true, locations })).toBe(
      "Off: the integration is disconnected",
    );
  });
});
