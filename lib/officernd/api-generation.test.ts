import { describe, expect, it } from "vitest";
import {
  nextV2AttemptAt,
  planGeneration,
  refusalOf,
  UNDECIDED,
  V2_RETRY_AFTER_MS,
} from "@/lib/officernd/api-generation";
import {
  FAILURE_CODES,
  failureOfStatus,
  isMissingRoute,
  OfficeRndError,
} from "@/lib/officernd/upstream-failures";

const now = new Date("2026-11-30T12:00:00Z");
const error = (
  reason: ConstructorParameters<typeof OfficeRndError>[0],
  upstreamMessage: string | null = null,
) => new OfficeRndError(reason, "x", { route: "GET /api/v2/organizations/acme/members", upstreamMessage });

describe("planGeneration", () => {
  it.each([
    ["v1", UNDECIDED, { first: "v1", fallback: null }],
    ["v2", { generation: "v1", reason: "r", decidedAt: now }, { first: "v2", fallback: null }],
    ["auto", UNDECIDED, { first: "v2", fallback: "v1" }],
    ["auto", { generation: "v2", reason: "r", decidedAt: now }, { first: "v2", fallback: "v1" }],
    [
      "auto",
      { generation: "v1", reason: "r", decidedAt: new Date(now.getTime() - V2_RETRY_AFTER_MS + 1) },
      { first: "v1", fallback: null },
    ],
    // A day later, v2 is tried again (scopes may have been granted since).
    [
      "auto",
      { generation: "v1", reason: "r", decidedAt: new Date(now.getTime() - V2_RETRY_AFTER_MS) },
      { first: "v2", fallback: "v1" },
    ],
  ] as const)("OFFICERND_API=%s with %o → %o", (mode, stored, plan) => {
    expect(planGeneration({ mode, stored, now })).toEqual(plan);
  });

  it("says when v2 is tried again", () => {
    expect(
      nextV2AttemptAt({ mode: "auto", stored: { generation: "v1", reason: "r", decidedAt: now } }),
    ).toEqual(new Date(now.getTime() + V2_RETRY_AFTER_MS));
    expect(
      nextV2AttemptAt({ mode: "v1", stored: { generation: "v1", reason: "r", decidedAt: now } }),
    ).toBeNull();
  });
});

describe("refusalOf: what makes auto fall back to v1", () => {
  it.each([
    [error("unauthorized"), true],
    [error("forbidden", "Missing scope flex.community.members.read"), true],
    [error("not_found", "Cannot GET /api/v2/organizations/acme/members"), true],
    [error("not_found", "Member not found"), false],
    [error("server_error"), false],
    [error("timeout"), false],
    [error("rate_limited"), false],
    [new Error("other"), false],
  ])("%s → %s", (failure, isRefusal) => {
    expect(refusalOf(failure) !== null).toBe(isRefusal);
  });
  it("a route 404 is told from a record 404 by NestJS's wording", () => {
    expect(isMissingRoute(error("not_found", "Cannot DELETE /x"))).toBe(true);
    expect(isMissingRoute(error("not_found", null))).toBe(false);
  });
});

describe("the one failure table", () => {
  it.each([
    [401, "unauthorized", "reconnect_required"],
    [403, "forbidden", "forbidden"],
    [404, "not_found", "not_found"],
    [409, "rejected", "bad_request"],
    [422, "rejected", "bad_request"],
    [429, "rate_limited", "rate_limited"],
    [500, "server_error", "upstream_error"],
    [503, "server_error", "upstream_error"],
  ] as const)("HTTP %i is %s → %s", (status, reason, code) => {
    expect(failureOfStatus(status)).toBe(reason);
    expect(FAILURE_CODES[reason]).toBe(code);
  });
  it("timeouts, unreachable hosts, bad bodies and a full token budget have one code each", () => {
    expect(FAILURE_CODES).toMatchObject({
      timeout: "upstream_timeout",
      unreachable: "unavailable",
      invalid_response: "upstream_error",
      busy: "unavailable",
      invalid_grant: "reconnect_required",
    });
    expect(
      new OfficeRndError("busy", "x", { route: "POST /oauth/token", retryAfterMs: 12_300 }).headers,
    ).toEqual({ "Retry-After": "13" });
  });
});
