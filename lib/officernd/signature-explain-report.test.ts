import { describe, expect, it } from "vitest";
import { buildSignedQuery, signedQueryDigest, type QueryParam } from "./signature";
import { explainSignedQuery } from "./signature-explain-report";
import { secretFingerprint } from "./signature-diagnosis";

// The published vector (api.md §3a) and the mistakes the explainer names.
const SECRET = "test-integration-secret";
const T = 1_700_000_000;
const PARAMS: QueryParam[] = [
  ["slug", "acme"],
  ["locations", "loc1,loc2"],
  ["organizationId", "5b5b68eb74565a0e0000b068"],
  ["memberId", "5bcf48410467da0f003f474d"],
];
const DIGEST = "fba4041d678c6b2fdf695624a89a8dc12c99d307597862187177b172317ebf3e";
const candidates = [
  { installationId: "inst-1", secret: SECRET, isCurrent: true, label: "installation inst-1" },
];
const explain = (urlOrQuery: string, now = T + 10) =>
  explainSignedQuery({ urlOrQuery, candidates, now, toleranceSeconds: 300, futureToleranceSeconds: 30 });
const withSignature = (params: QueryParam[], digest: string) =>
  `${new URLSearchParams(params).toString()}&signature=${encodeURIComponent(`t=${T},signature=${digest}`)}`;

describe("npm run signature:explain report", () => {
  it("walks the published vector through every step and accepts it", () => {
    const report = explain(
      `https://partner.example/api/officernd/healthcheck?${buildSignedQuery(PARAMS, SECRET, T)}`,
    );
    expect(report).toMatchObject({ isAccepted: true, failingStep: null });
    const text = report.lines.join("\n");
    expect(text).toContain(
      `{"slug":"acme","locations":"loc1,loc2","organizationId":"5b5b68eb74565a0e0000b068","memberId":"5bcf48410467da0f003f474d"}.${T}`,
    );
    expect(text).toContain(`secret ${secretFingerprint(SECRET)}`);
    expect(text).toContain("Result: ✓ the signature verifies.");
  });

  it("a stale request fails at step 3 and says how old it is", () => {
    const report = explain(buildSignedQuery(PARAMS, SECRET, T), T + 900);
    expect(report).toMatchObject({ isAccepted: false, failingStep: 3 });
    expect(report.lines.join("\n")).toContain("900 s old");
  });

  it("a signature over the parameters in another order fails at step 5 and names the cause", () => {
    const sorted = [...PARAMS].sort((a, b) => a[0].localeCompare(b[0]));
    const report = explain(withSignature(PARAMS, signedQueryDigest(SECRET, sorted, String(T))));
    expect(report).toMatchObject({ isAccepted: false, failingStep: 5 });
    expect(report.lines.join("\n")).toContain("signed with the parameters in another order");
  });

  it("never prints a secret or a full valid digest, only 8-hex prefixes", () => {
    const forged = withSignature(PARAMS, "0".repeat(64));
    const text = explain(forged).lines.join("\n");
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain(DIGEST);
    expect(text).toContain(`expected ${DIGEST.slice(0, 8)}…`);
  });

  it("a malformed signature fails at step 2", () => {
    expect(explain(`${new URLSearchParams(PARAMS).toString()}&signature=abc`)).toMatchObject({
      isAccepted: false,
      failingStep: 2,
    });
  });
});
