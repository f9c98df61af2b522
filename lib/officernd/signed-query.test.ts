import { describe, expect, it } from "vitest";
import {
  isQueryTooLong,
  locationsKeyOf,
  MAX_QUERY_BYTES,
  parseSyncIntent,
  rawQueryOf,
  unquoteOrganizationId,
} from "./signed-query";

describe("rawQueryOf", () => {
  it.each([
    ["http://x/api?slug=a&locations=", "slug=a&locations="],
    ["http://x/api?a=%22b%22&c=1#frag", "a=%22b%22&c=1"],
    ["http://x/api", ""],
    ["http://x/api?", ""],
    ["http://x/api?a=1?b=2", "a=1?b=2"],
  ])("takes the query of %s exactly as sent", (url, expected) => {
    expect(rawQueryOf(url)).toBe(expected);
  });
});

describe("isQueryTooLong", () => {
  it("accepts exactly the limit and refuses one byte more, counting UTF-8 bytes", () => {
    expect(isQueryTooLong("a".repeat(MAX_QUERY_BYTES))).toBe(false);
    expect(isQueryTooLong("a".repeat(MAX_QUERY_BYTES + 1))).toBe(true);
    expect(isQueryTooLong("é".repeat(MAX_QUERY_BYTES / 2 + 1))).toBe(true);
  });
});

describe("locationsKeyOf", () => {
  it.each([
    ["", ""],
    [" ", ""],
    ["loc1", "loc1"],
    ["loc2,loc1", "loc1,loc2"],
    ["location-id1, location-id2", "location-id1,location-id2"],
    [" b ,a,, a ", "a,b"],
  ])("turns %j into the stored key %j", (value, expected) => {
    expect(locationsKeyOf(value)).toBe(expected);
  });
});

describe("unquoteOrganizationId", () => {
  it.each([
    ['"5b5b68eb74565a0e0000b068"', "5b5b68eb74565a0e0000b068"],
    ["5b5b68eb74565a0e0000b068", "5b5b68eb74565a0e0000b068"],
    ['""', null],
    ["", null],
    [undefined, null],
    ['"', '"'],
    ['"abc', '"abc'],
  ])("strips one pair of literal quotes from %j", (value, expected) => {
    expect(unquoteOrganizationId(value)).toBe(expected);
  });
});

describe("parseSyncIntent", () => {
  it.each([
    [[], { kind: "toggle" }],
    [[["enabled", "true"]], { kind: "set", enabled: true }],
    [[["enabled", "false"]], { kind: "set", enabled: false }],
    [[["sync", "on"]], { kind: "set", enabled: true }],
    [[["sync", "OFF"]], { kind: "set", enabled: false }],
    [[["enabled", "1"]], { kind: "set", enabled: true }],
    [
      [
        ["enabled", "true"],
        ["sync", "on"],
      ],
      { kind: "set", enabled: true },
    ],
    [[["slug", "acme"]], { kind: "toggle" }],
  ] as [[string, string][], unknown][])("reads %j as %j", (params, intent) => {
    expect(parseSyncIntent(params)).toEqual({ ok: true, intent });
  });

  it.each([
    [[["enabled", "maybe"]]],
    [[["enabled", ""]]],
    [[["sync", "yes please"]]],
    [
      [
        ["enabled", "true"],
        ["sync", "off"],
      ],
    ],
  ] as [[string, string][]][])("refuses %j", (params) => {
    expect(parseSyncIntent(params)).toMatchObject({ ok: false, message: expect.any(String) });
  });
});

// Issue 18: cases the mutation run (npm run test:mutation) showed no test held.
describe("signed-query edges", () => {
  it("takes the query of a relative URL that starts with its `?`", () => {
    expect(rawQueryOf("?slug=a&locations=")).toBe("slug=a&locations=");
  });

  it("allows exactly 8 KiB of query, counted in UTF-8 bytes, and refuses one byte more", () => {
    expect(MAX_QUERY_BYTES).toBe(8192);
    expect(isQueryTooLong("a".repeat(8192))).toBe(false);
    expect(isQueryTooLong("a".repeat(8193))).toBe(true);
    // 4,097 two-byte characters: 8,194 bytes.
    expect(isQueryTooLong("é".repeat(4097))).toBe(true);
  });

  it("removes quotes only when both ends carry one", () => {
    expect(unquoteOrganizationId('"org-1')).toBe('"org-1');
    expect(unquoteOrganizationId('org-1"')).toBe('org-1"');
    expect(unquoteOrganizationId('"org-1"')).toBe("org-1");
    expect(unquoteOrganizationId('""')).toBeNull();
  });

  it("reads on/off values whatever their case and surrounding spaces", () => {
    expect(parseSyncIntent([["enabled", " TRUE "]])).toEqual({
      ok: true,
      intent: { kind: "set", enabled: true },
    });
    expect(parseSyncIntent([["sync", "Off"]])).toEqual({ ok: true, intent: { kind: "set", enabled: false } });
    expect(parseSyncIntent([["sync", " 1"]])).toEqual({ ok: true, intent: { kind: "set", enabled: true } });
  });

  it("says which parameter is wrong, quoting at most 20 characters of it, and when the two disagree", () => {
    expect(parseSyncIntent([["sync", "maybe-later-or-perhaps-never"]])).toEqual({
      ok: false,
      message: 'The "sync" parameter must be true or false (or on/off); got "maybe-later-or-perha".',
    });
    expect(parseSyncIntent([["enabled", " YES "]])).toEqual({
      ok: false,
      message: 'The "enabled" parameter must be true or false (or on/off); got " YES ".',
    });
    expect(
      parseSyncIntent([
        ["enabled", "true"],
        ["sync", "off"],
      ]),
    ).toEqual({ ok: false, message: 'The "enabled" and "sync" parameters disagree.' });
    expect(
      parseSyncIntent([
        ["enabled", "true"],
        ["sync", "on"],
      ]),
    ).toEqual({ ok: true, intent: { kind: "set", enabled: true } });
  });
});
