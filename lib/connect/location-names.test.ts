import { describe, expect, it } from "vitest";
import { describeLocations, resolveLocationNames } from "./location-names";

const known = [
  { id: "l3", name: "Shoreditch" },
  { id: "l1", name: "Berlin" },
  { id: "l2", name: "Manchester" },
];

describe("resolveLocationNames", () => {
  it("names the requested locations, ordered by name", () => {
    expect(resolveLocationNames({ requested: ["l3", "l2"], known })).toEqual([
      { id: "l2", name: "Manchester" },
      { id: "l3", name: "Shoreditch" },
    ]);
  });

  it("takes every known location when none is requested", () => {
    expect(resolveLocationNames({ requested: [], known }).map((location) => location.name)).toEqual([
      "Berlin",
      "Manchester",
      "Shoreditch",
    ]);
  });

  it("falls back to the id for a location OfficeRnD did not list, or when the list is unavailable", () => {
    expect(resolveLocationNames({ requested: ["l9", "l1"], known })).toEqual([
      { id: "l1", name: "Berlin" },
      { id: "l9", name: "l9" },
    ]);
    expect(resolveLocationNames({ requested: ["l1"], known: null })).toEqual([{ id: "l1", name: "l1" }]);
  });
});

describe("describeLocations", () => {
  const named = (...names: string[]) => names.map((name, index) => ({ id: String(index), name }));
  it.each([
    [named("A"), false, "A"],
    [named("A", "B"), false, "A and B"],
    [named("A", "B", "C"), false, "A, B and C"],
    [named("A", "B", "C", "D", "E"), false, "A, B, C and 2 more"],
    [named("A", "B"), true, "all locations"],
    [[], false, "no locations"],
  ])("%j (all: %s) reads %s", (locations, isAll, expected) => {
    expect(describeLocations(locations, { isAll })).toBe(expected);
  });
});
