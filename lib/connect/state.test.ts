import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { hashState, newState, stateMatches } from "./state";

describe("the Connect state", () => {
  it("is 256 random bits, URL-safe, different every time", () => {
    const states = new Set(Array.from({ length: 50 }, () => newState()));
    expect(states.size).toBe(50);
    for (const state of states) expect(state).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it("is stored as its SHA-256 only", () => {
    expect(hashState("abc")).toBe(createHash("sha256").update("abc").digest("hex"));
  });

  it.each([
    ["the right value", "right", true],
    ["another value", "wrong", false],
    ["an empty value", "", false],
    ["no cookie", undefined, false],
  ])("matches %s: %s", (_name, given, expected) => {
    expect(stateMatches({ state: given, storedHash: hashState("right") })).toBe(expected);
  });

  it("never matches a malformed stored hash", () => {
    expect(stateMatches({ state: "right", storedHash: "short" })).toBe(false);
  });
});
