import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  backoffDelay,
  decideRetry,
  DEFAULT_RETRY_POLICY,
  parseRetryAfter,
  type AttemptOutcome,
} from "@/lib/officernd/retry-policy";

const NOW = Date.UTC(2025, 0, 1);
const decide = (outcome: AttemptOutcome, attempt = 1, hasRefreshed = false, random = () => 0.5) =>
  decideRetry({ outcome, attempt, hasRefreshed, policy: DEFAULT_RETRY_POLICY, nowMs: NOW, random });

describe("parseRetryAfter", () => {
  it.each([
    ["3", 3000],
    ["0", 0],
    ["1.5", 1500],
    [new Date(NOW + 7000).toUTCString(), 7000],
    [new Date(NOW - 7000).toUTCString(), 0],
  ])("%s → %i ms", (value, expected) => {
    expect(parseRetryAfter(value, NOW)).toBe(expected);
  });

  it("ignores what it cannot read", () => {
    expect(parseRetryAfter("soon", NOW)).toBeUndefined();
    expect(parseRetryAfter(null, NOW)).toBeUndefined();
    expect(parseRetryAfter("-1", NOW)).toBeUndefined();
  });
});

describe("decideRetry", () => {
  it.each([429, 500, 502, 503, 504, 408])("retries %i", (status) => {
    expect(decide({ kind: "response", status }).action).toBe("retry");
  });

  it.each([400, 403, 404, 409, 422])("does not retry %i", (status) => {
    expect(decide({ kind: "response", status }).action).toBe("give-up");
  });

  it("retries timeouts, dropped connections and unreadable bodies", () => {
    for (const kind of ["timeout", "network", "invalid-body"] as const)
      expect(decide({ kind }).action).toBe("retry");
  });

  it("asks for one token refresh on 401, then gives up", () => {
    expect(decide({ kind: "response", status: 401 }, 1, false)).toEqual({ action: "refresh-token" });
    expect(decide({ kind: "response", status: 401 }, 1, true)).toEqual({ action: "give-up" });
  });

  it("stops after maxAttempts", () => {
    expect(decide({ kind: "response", status: 500 }, DEFAULT_RETRY_POLICY.maxAttempts - 1).action).toBe(
      "retry",
    );
    expect(decide({ kind: "response", status: 500 }, DEFAULT_RETRY_POLICY.maxAttempts).action).toBe(
      "give-up",
    );
  });

  it("waits at least Retry-After, capped", () => {
    expect(decide({ kind: "response", status: 429, retryAfter: "10" }, 1, false, () => 0)).toEqual({
      action: "retry",
      delayMs: 10_000,
    });
    const capped = decide({ kind: "response", status: 429, retryAfter: "100000" }, 1, false, () => 0);
    expect(capped).toEqual({ action: "retry", delayMs: DEFAULT_RETRY_POLICY.maxRetryAfterMs });
  });
});

describe("backoffDelay", () => {
  it("is full jitter within an exponentially growing, capped ceiling", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 30 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (attempt, random) => {
          const delay = backoffDelay({ attempt, policy: DEFAULT_RETRY_POLICY, random: () => random });
          const ceiling = Math.min(
            DEFAULT_RETRY_POLICY.maxDelayMs,
            DEFAULT_RETRY_POLICY.baseDelayMs * 2 ** (attempt - 1),
          );
          return delay >= 0 && delay <= ceiling;
        },
      ),
    );
    expect(backoffDelay({ attempt: 3, policy: DEFAULT_RETRY_POLICY, random: () => 0.999999 })).toBe(2000);
  });
});
