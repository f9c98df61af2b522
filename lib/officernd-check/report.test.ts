import { describe, expect, it } from "vitest";
import { checkFirstPage } from "./parse-page";
import { redact, redactReport, renderTable } from "./report";
import type { CheckReport } from "./types";

const report: CheckReport = {
  org: "acme",
  identityUrl: "https://identity.example",
  appUrl: "https://app.example",
  regionUrl: "https://eu.example",
  generation: "v1",
  rows: [
    {
      id: "token.legacy",
      check: "Token, legacy scopes",
      status: "pass",
      detail: "issued",
      action: "",
      blocker: false,
    },
    {
      id: "token.flex",
      check: "Token, flex.* scopes",
      status: "fail",
      detail: "HTTP 400 invalid_scope",
      action: "Keep the legacy scopes.",
      blocker: false,
    },
  ],
  blockers: 0,
  ok: true,
};

describe("renderTable", () => {
  it("prints one ✓/✗ line per check, the action under a failed one, and the verdict", () => {
    const text = renderTable(report);
    expect(text).toContain("  ✓ Token, legacy scopes  issued\n");
    expect(text).toContain("  ✗ Token, flex.* scopes  HTTP 400 invalid_scope\n");
    expect(text).toMatch(/\n {4}\s+→ Keep the legacy scopes\.\n/);
    expect(text).toContain(
      "No blockers (1 ✗ and 0 ! the app works around): the app can go live against this organisation on API v1.",
    );
  });

  it("counts blockers in the verdict", () => {
    const blocked = {
      ...report,
      rows: report.rows.map((row) => ({ ...row, blocker: true })),
      blockers: 1,
      ok: false,
    };
    expect(renderTable(blocked)).toContain(
      "1 blocker: the app will not work against this organisation until it is fixed.",
    );
  });
});

describe("redact", () => {
  it("removes every known secret from details and actions", () => {
    expect(redact("token abcdef123 and abcdef123", ["abcdef123"])).toBe("token [redacted] and [redacted]");
    const dirty = {
      ...report,
      rows: [{ ...report.rows[0]!, detail: "Bearer tok-123456", action: "secret s3cr3t-value" }],
    };
    const clean = redactReport(dirty, ["tok-123456", "s3cr3t-value"]);
    expect(JSON.stringify(clean)).not.toMatch(/tok-123456|s3cr3t-value/);
  });
});

describe("checkFirstPage", () => {
  const member = {
    _id: "m1",
    name: "Ada",
    location: "l1",
    company: null,
    status: "active",
    modifiedAt: "2024-01-01T00:00:00.000Z",
  };

  it("accepts a v2 page and a v1 array (office/team) and says whether more pages follow", () => {
    expect(
      checkFirstPage({
        kind: "members",
        generation: "v2",
        body: { results: [member], cursorNext: "c" },
        headers: new Headers(),
      }),
    ).toEqual({
      ok: true,
      count: 1,
      hasNextPage: true,
    });
    const v1 = {
      _id: "m2",
      name: "Bo",
      office: "l1",
      team: "c1",
      status: "active",
      modifiedAt: "2024-01-01T00:00:00.000Z",
    };
    expect(
      checkFirstPage({
        kind: "members",
        generation: "v1",
        body: [v1],
        headers: new Headers({ "rnd-cursor-next": "x" }),
      }),
    ).toMatchObject({
      ok: true,
      hasNextPage: true,
    });
  });

  it("names the exact field that does not parse", () => {
    const bad = { ...member, _id: "m3", status: 7 };
    expect(
      checkFirstPage({
        kind: "members",
        generation: "v2",
        body: { results: [member, bad], cursorNext: null },
        headers: new Headers(),
      }),
    ).toEqual({
      ok: false,
      field: "members[1].status",
      problem: "members[1].status: expected a non-empty string, got number",
    });
    expect(
      checkFirstPage({ kind: "companies", generation: "v2", body: [], headers: new Headers() }),
    ).toMatchObject({ ok: false, field: "companies.results" });
    expect(
      checkFirstPage({ kind: "companies", generation: "v1", body: { results: [] }, headers: new Headers() }),
    ).toMatchObject({
      ok: false,
      field: "companies",
    });
  });
});
