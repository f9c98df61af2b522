import { describe, expect, it } from "vitest";
import { officeRndReturnUrl, tokenState } from "./token-state";

const NOW = new Date("2026-03-04T12:00:00.000Z");
const inSeconds = (seconds: number) => new Date(NOW.getTime() + seconds * 1000);

describe("tokenState", () => {
  it.each([
    ["active", inSeconds(3600), true, "ok"],
    ["active", inSeconds(30), true, "refreshing"],
    ["active", inSeconds(-30), true, "refreshing"],
    ["active", null, true, "refreshing"],
    ["active", inSeconds(-30), false, "reconnect_required"],
    ["reconnect_required", inSeconds(3600), true, "reconnect_required"],
    ["removed", inSeconds(3600), true, "disconnected"],
  ] as const)(
    "%s installation, token expiring %s, refresh token %s → %s",
    (status, tokenExpiresAt, hasRefreshToken, expected) => {
      expect(tokenState({ status, tokenExpiresAt, hasRefreshToken, now: NOW })).toBe(expected);
    },
  );
});

it("builds OfficeRnD's return URL from the region URL", () => {
  expect(officeRndReturnUrl("https://app.officernd.com/")).toBe(
    "https://app.officernd.com/connect/external-integration/return",
  );
});
