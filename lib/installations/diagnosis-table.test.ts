import { describe, expect, it } from "vitest";
import {
  clip,
  diagnose,
  FAILURES,
  formatWhen,
  redact,
  REQUEST_FAILURE_ACTIONS,
  type Facts,
} from "@/lib/installations/diagnosis-table";

const SINCE = new Date("2026-11-29T14:02:00.000Z");
const HEALTHY: Facts = {
  status: "active",
  removedAt: null,
  reconnectSince: null,
  officeRndUnavailableAt: null,
  syncFailure: null,
  webhooksMissingSince: null,
  reconcileMinutes: 15,
};
const EVERY_FAILURE: [string, Partial<Facts>][] = [
  ["not_connected", { status: "removed", removedAt: SINCE }],
  ["reconnect_required", { status: "reconnect_required", reconnectSince: SINCE }],
  ["officernd_unavailable", { officeRndUnavailableAt: SINCE }],
  [
    "sync_failing",
    {
      syncFailure: {
        locationName: "Acme Berlin Mitte",
        since: SINCE,
        reason: "OfficeRnD GET /members answered 500: upstream down",
      },
    },
  ],
  ["webhooks_missing", { webhooksMissingSince: SINCE }],
];

describe("diagnose", () => {
  it("a healthy installation has no diagnosis", () => {
    expect(diagnose(HEALTHY)).toBeNull();
  });

  it.each(EVERY_FAILURE)(
    "%s: says what is wrong and since when, what to do, each ≤ 200 characters",
    (failure, facts) => {
      const diagnosis = diagnose({ ...HEALTHY, ...facts })!;
      expect(diagnosis.failure).toBe(failure);
      expect(diagnosis.message).toContain("29 Nov 14:02 UTC");
      expect(diagnosis.message.length).toBeLessThanOrEqual(200);
      expect(diagnosis.action.length).toBeLessThanOrEqual(200);
      expect(diagnosis.since).toEqual(SINCE);
      expect(diagnosis.status).toBeGreaterThanOrEqual(400);
    },
  );

  it("reads the example of the issue", () => {
    expect(diagnose({ ...HEALTHY, status: "reconnect_required", reconnectSince: SINCE })).toMatchObject({
      error: "reconnect_required",
      message:
        "OfficeRnD refused our refresh token on 29 Nov 14:02 UTC: the connection was revoked or the app's credentials changed.",
      action: "Open Configure and click Reconnect (or Connect the integration again in OfficeRnD).",
      fix: "reconnect",
    });
  });

  it("names the one-click fix where one exists", () => {
    const fixes = Object.fromEntries(
      EVERY_FAILURE.map(([failure, facts]) => [failure, diagnose({ ...HEALTHY, ...facts })!.fix]),
    );
    expect(fixes).toEqual({
      not_connected: null,
      reconnect_required: "reconnect",
      officernd_unavailable: null,
      sync_failing: "retry_sync",
      webhooks_missing: "recreate_webhooks",
    });
  });

  it("reports the most fundamental failure first", () => {
    const everything = Object.assign(
      {},
      HEALTHY,
      ...EVERY_FAILURE.slice(1).map(([, facts]) => facts),
    ) as Facts;
    expect(diagnose(everything)!.failure).toBe("reconnect_required");
    expect(diagnose({ ...everything, status: "active" })!.failure).toBe("officernd_unavailable");
  });

  it("keeps a long sync reason within 200 characters, and no credential in it", () => {
    const reason = `answered 401: Bearer eyJhbGciOi.secret-token ${"x".repeat(400)} https://x.test/cb?code=abc123&token=tok456`;
    const diagnosis = diagnose({
      ...HEALTHY,
      syncFailure: { locationName: "L".repeat(300), since: SINCE, reason },
    })!;
    expect(diagnosis.message.length).toBeLessThanOrEqual(200);
    expect(diagnosis.message).not.toMatch(/eyJhbGciOi|abc123|tok456/);
    expect(diagnosis.message.endsWith("…")).toBe(true);
  });
});

it("every table action fits in 200 characters", () => {
  for (const entry of Object.values(FAILURES)) expect(entry.action.length).toBeLessThanOrEqual(200);
  for (const action of Object.values(REQUEST_FAILURE_ACTIONS)) expect(action.length).toBeLessThanOrEqual(200);
});

it("redact, clip and formatWhen", () => {
  expect(redact("GET /x?access_token=abc&y=1 Authorization: Bearer zzz t=17,signature=deadbeef")).toBe(
    "GET /x?access_token=[redacted]&y=1 Authorization: Bearer [redacted] t=17,signature=[redacted]",
  );
  expect(clip("a  b\n c", 10)).toBe("a b c");
  expect(clip("abcdefghijk", 5)).toBe("abcd…");
  expect(formatWhen(new Date("2026-03-04T05:06:00.000Z"))).toBe("4 Mar 05:06 UTC");
});
