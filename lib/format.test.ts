import { describe, expect, it } from "vitest";
import { formatCount, formatDateTime, formatDuration, formatRelative } from "./format";

const NOW = new Date("2026-03-04T12:00:00.000Z");
const ago = (seconds: number) => new Date(NOW.getTime() - seconds * 1000);

describe("formatRelative", () => {
  it.each([
    [10, "just now"],
    [90, "2 min ago"],
    [3 * 3600, "3 h ago"],
    [86_400, "1 day ago"],
    [5 * 86_400, "5 days ago"],
    [-600, "in 10 min"],
    [-5, "in a moment"],
  ])("%i s before now reads %s", (seconds, expected) => {
    expect(formatRelative(ago(seconds), NOW)).toBe(expected);
  });
});

describe("formatDuration", () => {
  it.each([
    [850, "850 ms"],
    [12_000, "12 s"],
    [185_000, "3 min 05 s"],
    [7_800_000, "2 h 10 min"],
    [-1, "—"],
    [Number.NaN, "—"],
  ])("%d ms reads %s", (ms, expected) => {
    expect(formatDuration(ms)).toBe(expected);
  });
});

it("formats dates in UTC to the minute and counts with separators", () => {
  expect(formatDateTime(new Date("2026-03-04T09:15:42.123Z"))).toBe("2026-03-04 09:15 UTC");
  expect(formatCount(100000)).toBe("100,000");
});
