import { describe, expect, it } from "vitest";
import { pageItems, parsePage, queryFor } from "@/lib/officernd/list-pages";
import { normalizeRecord } from "@/lib/officernd/v1-records";

// Both API generations' list shapes, pure: the query each one takes, and its answers in the one model.

const reply = (body: unknown, headers: Record<string, string> = {}) => ({
  body,
  headers: new Headers(headers),
});

describe("queryFor", () => {
  const query = new URLSearchParams({
    location: "L1",
    "status[$in]": "active,former",
    "modifiedAt[$gte]": "2025-01-01T00:00:00.000Z",
    $limit: "500",
  });

  it("v2 keeps the filters, caps $limit at 50 and sends the cursor as $cursorNext", () => {
    const withCursor = new URLSearchParams(query);
    withCursor.set("$cursorNext", "abc");
    expect(Object.fromEntries(queryFor({ generation: "v2", kind: "members", query: withCursor }))).toEqual({
      location: "L1",
      "status[$in]": "active,former",
      "modifiedAt[$gte]": "2025-01-01T00:00:00.000Z",
      $limit: "50",
      $cursorNext: "abc",
    });
  });

  it("v1 names the location office, leaves status to the scope rule, caps $limit at 100 and sends its cursor as $next", () => {
    const withCursor = new URLSearchParams(query);
    withCursor.set("$cursorNext", "v1:xyz");
    expect(Object.fromEntries(queryFor({ generation: "v1", kind: "members", query: withCursor }))).toEqual({
      office: "L1",
      "modifiedAt[$gte]": "2025-01-01T00:00:00.000Z",
      $limit: "100",
      $next: "xyz",
    });
    expect(
      queryFor({
        generation: "v1",
        kind: "companies",
        query: new URLSearchParams({ "location[$in]": "a,b" }),
      }).get("office[$in]"),
    ).toBe("a,b");
  });

  it("a cursor of the other generation is dropped: the phase starts again from its first page", () => {
    expect(
      queryFor({
        generation: "v1",
        kind: "members",
        query: new URLSearchParams({ $cursorNext: "v2-cursor" }),
      }).has("$next"),
    ).toBe(false);
    expect(
      queryFor({
        generation: "v2",
        kind: "members",
        query: new URLSearchParams({ $cursorNext: "v1:abc" }),
      }).has("$cursorNext"),
    ).toBe(false);
  });
});

describe("pageItems", () => {
  it("v2: {results, cursorNext}", () => {
    expect(
      pageItems({
        generation: "v2",
        reply: reply({ results: [{ _id: "a" }], cursorNext: "n", cursorPrev: null }),
        limit: 50,
      }),
    ).toEqual({
      items: [{ _id: "a" }],
      cursorNext: "n",
    });
    expect(
      pageItems({ generation: "v2", reply: reply({ results: [], cursorNext: null }), limit: 50 }),
    ).toEqual({ items: [], cursorNext: null });
  });

  it("v1: a bare array, the next page from the rnd-cursor-next header (tagged v1)", () => {
    expect(
      pageItems({ generation: "v1", reply: reply([{ _id: "a" }], { "rnd-cursor-next": "c2" }), limit: 100 }),
    ).toEqual({
      items: [{ _id: "a" }],
      cursorNext: "v1:c2",
    });
    expect(pageItems({ generation: "v1", reply: reply([{ _id: "a" }]), limit: 100 })).toEqual({
      items: [{ _id: "a" }],
      cursorNext: null,
    });
  });

  it("refuses a full bare page without a cursor (more may exist; the sweep must not run on it)", () => {
    const full = Array.from({ length: 100 }, (_, index) => ({ _id: String(index) }));
    expect(pageItems({ generation: "v1", reply: reply(full), limit: 100 })).toEqual({
      problem: "a full page of 100 without rnd-cursor-next",
    });
  });

  it("refuses HTML-ish or unknown bodies with the path", () => {
    expect(pageItems({ generation: "v2", reply: reply({ data: [] }), limit: 50 })).toMatchObject({
      problem: expect.stringContaining("(root)"),
    });
    expect(
      pageItems({ generation: "v2", reply: reply({ results: [], cursorNext: 5 }), limit: 50 }),
    ).toMatchObject({
      problem: expect.stringContaining("cursorNext"),
    });
  });
});

describe("parsePage and normalizeRecord", () => {
  it("maps v1 members (office, team) and companies (office) to the one model", () => {
    expect(normalizeRecord("members", { _id: "m", name: "M", office: "L1", team: "C1" })).toEqual({
      _id: "m",
      name: "M",
      location: "L1",
      company: "C1",
    });
    expect(
      normalizeRecord("companies", { _id: "c", name: "C", office: { _id: "L1", name: "Shoreditch" } }),
    ).toEqual({ _id: "c", name: "C", location: "L1" });
    expect(normalizeRecord("members", { _id: "m", location: "L2", office: "L1" })).toEqual({
      _id: "m",
      location: "L2",
    });
  });

  it("parses item by item, names the offending field, and drops records of another location or id", () => {
    const page = parsePage({
      kind: "members",
      items: [
        { _id: "a", name: "A", office: "L1" },
        { _id: "b", name: "B", office: "L2" },
        { _id: 7 },
        "<html>",
      ],
      cursorNext: null,
      query: new URLSearchParams({ location: "L1" }),
    });
    expect(page.results.map((record) => [record._id, record.location])).toEqual([["a", "L1"]]);
    expect(page).toMatchObject({ invalid: 2, skipped: 1 });
    expect(page.problems[0]).toContain("results.2: _id:");
    const locations = parsePage({
      kind: "locations",
      items: [
        { _id: "L1", name: "x" },
        { _id: "L2", name: "y" },
      ],
      cursorNext: null,
      query: new URLSearchParams({ _id: "L1" }),
    });
    expect(locations.results.map((record) => record._id)).toEqual(["L1"]);
  });
});
