import { describe, expect, it } from "vitest";
import { hmacSha256Hex, signQueryParams, signWebhookBody } from "../src/signing/hmac";
import { buildSignedUrl } from "../src/signing/signed-url";

// The published vectors of spec §3a and §3b; the app's verifier passes the same ones.

describe("query signature (spec §3a)", () => {
  const params = [
    ["slug", "acme"],
    ["locations", "loc1,loc2"],
    ["organizationId", "5b5b68eb74565a0e0000b068"],
    ["memberId", "5bcf48410467da0f003f474d"],
  ] as const;

  it("matches the spec's vector for JSON.stringify(params) + '.' + t", () => {
    expect(signQueryParams({ params, secret: "test-integration-secret", timestamp: 1_700_000_000 })).toBe(
      "t=1700000000,signature=fba4041d678c6b2fdf695624a89a8dc12c99d307597862187177b172317ebf3e",
    );
  });

  it("signs exactly the documented payload string", () => {
    const message =
      '{"slug":"acme","locations":"loc1,loc2","organizationId":"5b5b68eb74565a0e0000b068","memberId":"5bcf48410467da0f003f474d"}.1700000000';
    expect(hmacSha256Hex({ key: "test-integration-secret", message })).toBe(
      "fba4041d678c6b2fdf695624a89a8dc12c99d307597862187177b172317ebf3e",
    );
  });

  it("changes when keys are reordered or an empty locations value is dropped", () => {
    const base = signQueryParams({
      params: [
        ["slug", "s"],
        ["locations", ""],
      ],
      secret: "k",
      timestamp: 1,
    });
    expect(
      signQueryParams({
        params: [
          ["locations", ""],
          ["slug", "s"],
        ],
        secret: "k",
        timestamp: 1,
      }),
    ).not.toBe(base);
    expect(signQueryParams({ params: [["slug", "s"]], secret: "k", timestamp: 1 })).not.toBe(base);
  });

  it("builds a URL whose query, minus signature, re-signs to the same signature", () => {
    const url = new URL(
      buildSignedUrl({
        baseUrl: "http://partner.test/api/officernd/healthcheck",
        params: [...params, ["enabled", "true"]],
        secret: "s3cret",
        timestamp: 1_700_000_123,
      }),
    );
    const received = [...url.searchParams.entries()];
    expect(received.map(([key]) => key)).toEqual([
      "slug",
      "locations",
      "organizationId",
      "memberId",
      "enabled",
      "signature",
    ]);
    const signature = url.searchParams.get("signature") ?? "";
    const [t, digest] = signature.split(",").map((part) => part.split("=")[1]);
    const payload = Object.fromEntries(received.filter(([key]) => key !== "signature"));
    expect(t).toBe("1700000123");
    expect(digest).toBe(hmacSha256Hex({ key: "s3cret", message: `${JSON.stringify(payload)}.${t}` }));
  });
});

describe("webhook signature (spec §3b)", () => {
  it("matches the spec's vector for '<raw body>.<t>'", () => {
    const rawBody =
      '{"eventType":"integration.removed","data":{"object":{"_id":"6985f1694cc913fc5ac7bf8c"}}}';
    expect(signWebhookBody({ rawBody, secret: "test-webhook-secret", timestamp: 1_700_000_000 })).toBe(
      "t=1700000000,signature=fe9ae95d4aa906ee6e6708789bf8ba5d721a2aaabd5012543358870c5b5c0b09",
    );
  });
});
