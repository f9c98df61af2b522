import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  buildSignedQuery,
  canonicalQueryJson,
  parseSignatureHeader,
  signedParamVariants,
  signedQueryDigest,
  signedQueryMessage,
  signQuery,
  signWebhook,
  verifySignedQuery,
  verifyWebhook,
  type VerifyFailureReason,
} from "./signature";

// Published vectors (officernd-api.md §3a/§3b), shared with the emulator's contract tests.
const PAGE_SECRET = "test-integration-secret";
const PAGE_T = 1700000000;
const PAGE_JSON =
  '{"slug":"acme","locations":"loc1,loc2","organizationId":"5b5b68eb74565a0e0000b068","memberId":"5bcf48410467da0f003f474d"}';
const PAGE_DIGEST = "fba4041d678c6b2fdf695624a89a8dc12c99d307597862187177b172317ebf3e";
const PAGE_PARAMS: [string, string][] = [
  ["slug", "acme"],
  ["locations", "loc1,loc2"],
  ["organizationId", "5b5b68eb74565a0e0000b068"],
  ["memberId", "5bcf48410467da0f003f474d"],
];

const WEBHOOK_SECRET = "test-webhook-secret";
const WEBHOOK_T = 1700000000;
const WEBHOOK_BODY =
  '{"eventType":"integration.removed","data":{"object":{"_id":"6985f1694cc913fc5ac7bf8c"}}}';
const WEBHOOK_DIGEST = "fe9ae95d4aa906ee6e6708789bf8ba5d721a2aaabd5012543358870c5b5c0b09";

const AT = { now: PAGE_T };
const hmac = (secret: string, message: string) => createHmac("sha256", secret).update(message).digest("hex");

/** A query whose `signature` is computed over `message` by hand, so tests can build odd shapes. */
function handSigned(
  rawQueryWithoutSignature: string,
  message: string,
  t: number | string = PAGE_T,
  secret = PAGE_SECRET,
) {
  const signature = encodeURIComponent(`t=${t},signature=${hmac(secret, message)}`);
  const separator = rawQueryWithoutSignature === "" ? "" : "&";
  return `${rawQueryWithoutSignature}${separator}signature=${signature}`;
}

describe("page signature vector", () => {
  it("builds the vector's canonical JSON from the ordered parameters", () => {
    expect(canonicalQueryJson(PAGE_PARAMS)).toBe(PAGE_JSON);
    expect(canonicalQueryJson(PAGE_PARAMS)).toBe(JSON.stringify(Object.fromEntries(PAGE_PARAMS)));
  });

  it("signs the vector to the published digest", () => {
    expect(signQuery(PAGE_PARAMS, PAGE_SECRET, PAGE_T)).toBe(`t=${PAGE_T},signature=${PAGE_DIGEST}`);
    expect(signQuery(new URLSearchParams(PAGE_PARAMS), PAGE_SECRET, PAGE_T)).toContain(PAGE_DIGEST);
  });

  it("verifies the URL-encoded vector query and returns the ordered params without signature", () => {
    const query =
      "?slug=acme&locations=loc1%2Cloc2&organizationId=5b5b68eb74565a0e0000b068" +
      `&memberId=5bcf48410467da0f003f474d&signature=t%3D${PAGE_T}%2Csignature%3D${PAGE_DIGEST}`;
    const result = verifySignedQuery(query, [PAGE_SECRET], AT);
    expect(result).toEqual({
      ok: true,
      secretIndex: 0,
      timestamp: PAGE_T,
      signature: PAGE_DIGEST,
      params: PAGE_PARAMS,
      variant: "as-received",
    });
  });

  it("accepts the signature parameter anywhere in the query, and an unencoded comma", () => {
    const query = `signature=t=${PAGE_T},signature=${PAGE_DIGEST}&slug=acme&locations=loc1,loc2&organizationId=5b5b68eb74565a0e0000b068&memberId=5bcf48410467da0f003f474d`;
    expect(verifySignedQuery(query, [PAGE_SECRET], AT).ok).toBe(true);
    expect(verifySignedQuery(new URLSearchParams(query), [PAGE_SECRET], AT).ok).toBe(true);
  });

  it("round-trips through buildSignedQuery", () => {
    const query = buildSignedQuery(PAGE_PARAMS, PAGE_SECRET, PAGE_T);
    expect(query.endsWith(`signature=t%3D${PAGE_T}%2Csignature%3D${PAGE_DIGEST}`)).toBe(true);
    expect(verifySignedQuery(query, [PAGE_SECRET], AT).ok).toBe(true);
  });
});

describe("partner-guide examples", () => {
  it("reproduces the multi-location and all-locations payloads from the query strings", () => {
    const multi = new URLSearchParams("slug=test-slug&locations=location-id1%2C+location-id2");
    expect(signedQueryMessage(multi, 1648190384)).toBe(
      '{"slug":"test-slug","locations":"location-id1, location-id2"}.1648190384',
    );
    const all = new URLSearchParams("slug=test-slug&locations=");
    expect(signedQueryMessage(all, 1648190384)).toBe('{"slug":"test-slug","locations":""}.1648190384');
  });

  it("verifies an all-locations request whose locations value is empty", () => {
    const message = '{"slug":"test-slug","locations":""}.1648190384';
    const query = handSigned("slug=test-slug&locations=", message, 1648190384);
    expect(verifySignedQuery(query, ["s"], { now: 1648190384 })).toMatchObject({
      ok: false,
      reason: "mismatch",
    });
    const signed = handSigned("slug=test-slug&locations=", message, 1648190384, "s");
    expect(verifySignedQuery(signed, ["s"], { now: 1648190384 })).toMatchObject({
      ok: true,
      params: [
        ["slug", "test-slug"],
        ["locations", ""],
      ],
    });
    const dropped = signed.replace("&locations=", "");
    expect(verifySignedQuery(dropped, ["s"], { now: 1648190384 })).toMatchObject({
      ok: false,
      reason: "mismatch",
    });
  });

  it("parses the guide's example signature value", () => {
    expect(
      parseSignatureHeader(
        "t=1602237976,signature=099618786b221c0bd88346a71e01c8deec60007c2db2ead5975284d4e957b8f5",
      ),
    ).toEqual({
      ok: true,
      timestamp: 1602237976,
      timestampText: "1602237976",
      signature: "099618786b221c0bd88346a71e01c8deec60007c2db2ead5975284d4e957b8f5",
    });
  });
});

describe("verifySignedQuery failures", () => {
  const valid = `t=${PAGE_T},signature=${PAGE_DIGEST}`;
  const base =
    "slug=acme&locations=loc1%2Cloc2&organizationId=5b5b68eb74565a0e0000b068&memberId=5bcf48410467da0f003f474d";
  const withSig = (value: string) => `${base}&signature=${encodeURIComponent(value)}`;

  const cases: [name: string, query: string, reason: VerifyFailureReason][] = [
    ["no signature parameter", base, "missing"],
    ["an empty signature parameter", `${base}&signature=`, "missing"],
    ["an empty query", "", "missing"],
    [
      "a repeated ordinary parameter",
      `${base}&slug=acme&signature=${encodeURIComponent(valid)}`,
      "malformed",
    ],
    [
      "a name repeated only after decoding",
      `${base}&%73lug=x&signature=${encodeURIComponent(valid)}`,
      "malformed",
    ],
    [
      "a repeated signature parameter",
      `${withSig(valid)}&signature=${encodeURIComponent(valid)}`,
      "malformed",
    ],
    ["a repeated signature parameter, one empty", `${withSig(valid)}&signature=`, "malformed"],
    ["t missing", withSig(`signature=${PAGE_DIGEST}`), "malformed"],
    ["t empty", withSig(`t=,signature=${PAGE_DIGEST}`), "malformed"],
    ["t non-numeric", withSig(`t=abc,signature=${PAGE_DIGEST}`), "malformed"],
    ["t negative", withSig(`t=-1700000000,signature=${PAGE_DIGEST}`), "malformed"],
    ["t a float", withSig(`t=1700000000.5,signature=${PAGE_DIGEST}`), "malformed"],
    ["t in exponent form", withSig(`t=1.7e9,signature=${PAGE_DIGEST}`), "malformed"],
    ["t beyond 2^53", withSig(`t=99999999999999999999,signature=${PAGE_DIGEST}`), "malformed"],
    ["t repeated", withSig(`t=${PAGE_T},t=${PAGE_T},signature=${PAGE_DIGEST}`), "malformed"],
    ["hash missing", withSig(`t=${PAGE_T}`), "malformed"],
    ["hash too short", withSig(`t=${PAGE_T},signature=${PAGE_DIGEST.slice(1)}`), "malformed"],
    ["hash too long", withSig(`t=${PAGE_T},signature=${PAGE_DIGEST}0`), "malformed"],
    ["hash non-hex", withSig(`t=${PAGE_T},signature=${PAGE_DIGEST.slice(1)}g`), "malformed"],
    ["a v1= field instead of signature=", withSig(`t=${PAGE_T},v1=${PAGE_DIGEST}`), "malformed"],
    ["an extra field", withSig(`${valid},v0=abc`), "malformed"],
    ["a trailing comma", withSig(`${valid},`), "malformed"],
    ["whitespace before the first field", withSig(` ${valid}`), "malformed"],
    ["no '=' in a field", withSig(`t${PAGE_T},signature=${PAGE_DIGEST}`), "malformed"],
    ["a timestamp older than 300 s", withSig(`t=${PAGE_T - 301},signature=${PAGE_DIGEST}`), "stale"],
    ["a timestamp more than 30 s ahead", withSig(`t=${PAGE_T + 31},signature=${PAGE_DIGEST}`), "future"],
    ["a wrong digest", withSig(`t=${PAGE_T},signature=${"0".repeat(64)}`), "mismatch"],
    ["a changed value", withSig(valid).replace("slug=acme", "slug=acmf"), "mismatch"],
    ["a dropped parameter", withSig(valid).replace("&memberId=5bcf48410467da0f003f474d", ""), "mismatch"],
    ["an added parameter", `${withSig(valid)}&extra=1`, "mismatch"],
    [
      "a changed timestamp inside the window",
      withSig(`t=${PAGE_T - 1},signature=${PAGE_DIGEST}`),
      "mismatch",
    ],
  ];

  it.each(cases)("rejects %s", (_name, query, reason) => {
    expect(verifySignedQuery(query, [PAGE_SECRET], AT)).toEqual({ ok: false, reason });
  });

  it("checks the window before the secrets, so a stale request with a wrong secret is stale", () => {
    const query = withSig(`t=${PAGE_T - 1000},signature=${PAGE_DIGEST}`);
    expect(verifySignedQuery(query, ["wrong"], AT)).toEqual({ ok: false, reason: "stale" });
  });

  it("reports mismatch when there are no candidate secrets", () => {
    expect(verifySignedQuery(withSig(valid), [], AT)).toEqual({ ok: false, reason: "mismatch" });
  });
});

describe("verifySignedQuery acceptance rules", () => {
  const query = buildSignedQuery(PAGE_PARAMS, PAGE_SECRET, PAGE_T);

  it("accepts uppercase hex by comparing case-insensitively", () => {
    const upper = query.replace(PAGE_DIGEST, PAGE_DIGEST.toUpperCase());
    expect(verifySignedQuery(upper, [PAGE_SECRET], AT)).toMatchObject({ ok: true, signature: PAGE_DIGEST });
  });

  it("tolerates whitespace after the comma, including a '+'-encoded space", () => {
    const spaced = query.replace("%2Csignature", "%2C+signature");
    expect(verifySignedQuery(spaced, [PAGE_SECRET], AT).ok).toBe(true);
  });

  it("accepts the fields in either order", () => {
    const swapped = `${new URLSearchParams(PAGE_PARAMS)}&signature=${encodeURIComponent(`signature=${PAGE_DIGEST},t=${PAGE_T}`)}`;
    expect(verifySignedQuery(swapped, [PAGE_SECRET], AT).ok).toBe(true);
  });

  it.each([
    ["exactly 300 s old", PAGE_T + 300, true],
    ["exactly 30 s ahead", PAGE_T - 30, true],
    ["301 s old", PAGE_T + 301, false],
    ["31 s ahead", PAGE_T - 31, false],
  ])("treats a timestamp %s as inside=%s the default window", (_name, now, isInside) => {
    expect(verifySignedQuery(query, [PAGE_SECRET], { now }).ok).toBe(isInside);
  });

  it("honours custom tolerances", () => {
    expect(verifySignedQuery(query, [PAGE_SECRET], { now: PAGE_T + 61, toleranceSeconds: 60 })).toEqual({
      ok: false,
      reason: "stale",
    });
    expect(verifySignedQuery(query, [PAGE_SECRET], { now: PAGE_T - 1, futureToleranceSeconds: 0 })).toEqual({
      ok: false,
      reason: "future",
    });
  });

  it("uses the system clock when now is not given", () => {
    const now = Math.floor(Date.now() / 1000);
    expect(verifySignedQuery(buildSignedQuery(PAGE_PARAMS, "k", now), ["k"]).ok).toBe(true);
    expect(verifySignedQuery(query, [PAGE_SECRET])).toEqual({ ok: false, reason: "stale" });
  });

  it("throws on nonsensical options instead of silently accepting everything", () => {
    expect(() => verifySignedQuery(query, [PAGE_SECRET], { now: Number.NaN })).toThrow(RangeError);
    expect(() => verifySignedQuery(query, [PAGE_SECRET], { now: PAGE_T, toleranceSeconds: -1 })).toThrow(
      RangeError,
    );
    expect(() =>
      verifySignedQuery(query, [PAGE_SECRET], { now: PAGE_T, futureToleranceSeconds: Infinity }),
    ).toThrow(RangeError);
  });

  it("tries every candidate secret and reports which one matched", () => {
    expect(verifySignedQuery(query, ["old", "other", PAGE_SECRET], AT)).toMatchObject({
      ok: true,
      secretIndex: 2,
    });
    expect(verifySignedQuery(query, [PAGE_SECRET, PAGE_SECRET], AT)).toMatchObject({
      ok: true,
      secretIndex: 0,
    });
    expect(verifySignedQuery(query, ["old", "other"], AT)).toEqual({ ok: false, reason: "mismatch" });
  });

  it("never matches an empty secret, even against a digest made with the empty key", () => {
    const message = signedQueryMessage(PAGE_PARAMS, PAGE_T);
    const forged = `${new URLSearchParams(PAGE_PARAMS).toString()}&signature=t%3D${PAGE_T}%2Csignature%3D${hmac("", message)}`;
    expect(verifySignedQuery(forged, [""], AT)).toEqual({ ok: false, reason: "mismatch" });
  });

  it("verifies organizationId wrapped in literal quotes on the raw value (pitfall 3)", () => {
    const params: [string, string][] = [
      ["slug", "acme"],
      ["locations", ""],
      ["organizationId", '"5b5b68eb74565a0e0000b068"'],
    ];
    const signed = buildSignedQuery(params, PAGE_SECRET, PAGE_T);
    expect(signed).toContain("organizationId=%225b5b68eb74565a0e0000b068%22");
    expect(verifySignedQuery(signed, [PAGE_SECRET], AT)).toMatchObject({ ok: true, params });
    const stripped = signed.replace("%225b5b68eb74565a0e0000b068%22", "5b5b68eb74565a0e0000b068");
    expect(verifySignedQuery(stripped, [PAGE_SECRET], AT)).toEqual({ ok: false, reason: "mismatch" });
  });

  it("keeps integer-like keys in received order, unlike a plain object", () => {
    const params: [string, string][] = [
      ["slug", "acme"],
      ["42", "b"],
      ["1", "a"],
    ];
    expect(canonicalQueryJson(params)).toBe('{"slug":"acme","42":"b","1":"a"}');
    expect(JSON.stringify(Object.fromEntries(params))).toBe('{"1":"a","42":"b","slug":"acme"}');
    const query = buildSignedQuery(params, PAGE_SECRET, PAGE_T);
    expect(query.startsWith("slug=acme&42=b&1=a&signature=")).toBe(true);
    expect(verifySignedQuery(query, [PAGE_SECRET], AT)).toMatchObject({ ok: true, params });
    const objectOrdered = handSigned(
      "slug=acme&42=b&1=a",
      `${JSON.stringify(Object.fromEntries(params))}.${PAGE_T}`,
    );
    expect(verifySignedQuery(objectOrdered, [PAGE_SECRET], AT)).toEqual({ ok: false, reason: "mismatch" });
  });

  it("signs over the timestamp text as received, so leading zeros are part of the message", () => {
    const json = canonicalQueryJson(PAGE_PARAMS);
    const zeroPadded = handSigned(
      new URLSearchParams(PAGE_PARAMS).toString(),
      `${json}.0${PAGE_T}`,
      `0${PAGE_T}`,
    );
    expect(verifySignedQuery(zeroPadded, [PAGE_SECRET], AT)).toMatchObject({ ok: true, timestamp: PAGE_T });
    const reused = buildSignedQuery(PAGE_PARAMS, PAGE_SECRET, PAGE_T).replace(
      `t%3D${PAGE_T}`,
      `t%3D0${PAGE_T}`,
    );
    expect(verifySignedQuery(reused, [PAGE_SECRET], AT)).toEqual({ ok: false, reason: "mismatch" });
  });

  it("decodes '+' as a space and keeps whitespace and quotes untrimmed", () => {
    const query = handSigned("a=+x+&b=%20%22q%22%20&c", `{"a":" x ","b":" \\"q\\" ","c":""}.${PAGE_T}`);
    expect(verifySignedQuery(query, [PAGE_SECRET], AT)).toMatchObject({
      ok: true,
      params: [
        ["a", " x "],
        ["b", ' "q" '],
        ["c", ""],
      ],
    });
  });
});

describe("signQuery input rules", () => {
  it("leaves signature pairs out so a signed query can be re-signed", () => {
    expect(signQuery([...PAGE_PARAMS, ["signature", "t=1,signature=x"]], PAGE_SECRET, PAGE_T)).toContain(
      PAGE_DIGEST,
    );
  });

  it("refuses repeated names, an empty secret and bad timestamps", () => {
    expect(() =>
      signQuery(
        [
          ["a", "1"],
          ["a", "2"],
        ],
        "k",
        1,
      ),
    ).toThrow(TypeError);
    expect(() => signQuery(PAGE_PARAMS, "", 1)).toThrow(TypeError);
    expect(() => signQuery(PAGE_PARAMS, "k", -1)).toThrow(RangeError);
    expect(() => signQuery(PAGE_PARAMS, "k", 1.5)).toThrow(RangeError);
    expect(() => signWebhook("{}", "k", Number.NaN)).toThrow(RangeError);
  });
});

describe("webhook signature", () => {
  const header = `t=${WEBHOOK_T},signature=${WEBHOOK_DIGEST}`;

  it("signs the vector body to the published digest", () => {
    expect(signWebhook(WEBHOOK_BODY, WEBHOOK_SECRET, WEBHOOK_T)).toBe(header);
    expect(signWebhook(Buffer.from(WEBHOOK_BODY), WEBHOOK_SECRET, WEBHOOK_T)).toBe(header);
  });

  it("verifies the vector from a string, a Buffer and a Uint8Array body", () => {
    const expected = { ok: true, secretIndex: 0, timestamp: WEBHOOK_T, signature: WEBHOOK_DIGEST };
    expect(verifyWebhook(WEBHOOK_BODY, header, [WEBHOOK_SECRET], { now: WEBHOOK_T })).toEqual(expected);
    expect(verifyWebhook(Buffer.from(WEBHOOK_BODY), header, [WEBHOOK_SECRET], { now: WEBHOOK_T })).toEqual(
      expected,
    );
    const bytes = new TextEncoder().encode(WEBHOOK_BODY);
    expect(verifyWebhook(bytes, header, ["rotated", WEBHOOK_SECRET], { now: WEBHOOK_T })).toEqual({
      ...expected,
      secretIndex: 1,
    });
  });

  it("does not accept a re-serialised body", () => {
    const reserialised = JSON.stringify(JSON.parse(WEBHOOK_BODY), null, 1);
    expect(verifyWebhook(reserialised, header, [WEBHOOK_SECRET], { now: WEBHOOK_T })).toEqual({
      ok: false,
      reason: "mismatch",
    });
  });

  const cases: [name: string, header: string | null | undefined, reason: VerifyFailureReason][] = [
    ["an absent header", undefined, "missing"],
    ["a null header", null, "missing"],
    ["an empty header", "", "missing"],
    ["the v1= format", `t=${WEBHOOK_T},v1=${WEBHOOK_DIGEST}`, "malformed"],
    ["a non-numeric t", `t=now,signature=${WEBHOOK_DIGEST}`, "malformed"],
    ["a short hash", `t=${WEBHOOK_T},signature=abc`, "malformed"],
    ["an extra field", `${header},signature=${WEBHOOK_DIGEST}`, "malformed"],
    ["a stale timestamp", `t=${WEBHOOK_T - 301},signature=${WEBHOOK_DIGEST}`, "stale"],
    ["a future timestamp", `t=${WEBHOOK_T + 31},signature=${WEBHOOK_DIGEST}`, "future"],
    ["a digest for another timestamp", `t=${WEBHOOK_T + 1},signature=${WEBHOOK_DIGEST}`, "mismatch"],
  ];

  it.each(cases)("rejects %s", (_name, value, reason) => {
    expect(verifyWebhook(WEBHOOK_BODY, value, [WEBHOOK_SECRET], { now: WEBHOOK_T })).toEqual({
      ok: false,
      reason,
    });
  });

  it("tolerates spaces and tabs after the comma and uppercase hex", () => {
    const value = `t=${WEBHOOK_T},\t signature=${WEBHOOK_DIGEST.toUpperCase()}`;
    expect(verifyWebhook(WEBHOOK_BODY, value, [WEBHOOK_SECRET], { now: WEBHOOK_T }).ok).toBe(true);
  });

  it("signs over the timestamp text as received, so leading zeros are part of the message", () => {
    const digest = hmac(WEBHOOK_SECRET, `${WEBHOOK_BODY}.0${WEBHOOK_T}`);
    const value = `t=0${WEBHOOK_T},signature=${digest}`;
    expect(verifyWebhook(WEBHOOK_BODY, value, [WEBHOOK_SECRET], { now: WEBHOOK_T })).toMatchObject({
      ok: true,
      timestamp: WEBHOOK_T,
    });
    expect(
      verifyWebhook(WEBHOOK_BODY, `t=0${header.slice(2)}`, [WEBHOOK_SECRET], { now: WEBHOOK_T }),
    ).toEqual({
      ok: false,
      reason: "mismatch",
    });
  });

  it("reports mismatch with no candidate secrets", () => {
    expect(verifyWebhook(WEBHOOK_BODY, header, [], { now: WEBHOOK_T })).toEqual({
      ok: false,
      reason: "mismatch",
    });
  });
});

// Mutation testing (issue 18, docs/mutation-testing.md): each case below failed a surviving mutant.
describe("signature edges", () => {
  const HEX = "a".repeat(64);

  it("strips only the whitespace that follows a comma, not whitespace inside a field", () => {
    expect(parseSignatureHeader(`signature=${HEX},  \tt=1700000000`)).toMatchObject({
      ok: true,
      timestamp: 1700000000,
    });
    expect(parseSignatureHeader(`signature=${HEX},t=17 00000000`)).toEqual({
      ok: false,
      reason: "malformed",
    });
    expect(parseSignatureHeader(`t=1700000000,signature=aaaa aaaa${"a".repeat(56)}`)).toEqual({
      ok: false,
      reason: "malformed",
    });
  });

  it("takes only decimal digits as t, whatever Number() would accept", () => {
    for (const t of ["1e9", "+1700000000", "0x6553F100", " 1700000000", "1700000000.0", ""]) {
      expect(parseSignatureHeader(`t=${t},signature=${HEX}`), t).toEqual({ ok: false, reason: "malformed" });
    }
  });

  it("takes only 64 hex digits as the signature", () => {
    for (const signature of ["zz", "a".repeat(63), "a".repeat(65), "g".repeat(64), ""]) {
      expect(parseSignatureHeader(`t=1700000000,signature=${signature}`), signature).toEqual({
        ok: false,
        reason: "malformed",
      });
    }
  });

  it("calls a query without signature missing before it looks at repeated names", () => {
    expect(verifySignedQuery("a=1&a=2", [PAGE_SECRET], AT)).toEqual({ ok: false, reason: "missing" });
    expect(verifySignedQuery("a=1&a=2&signature=", [PAGE_SECRET], AT)).toEqual({
      ok: false,
      reason: "missing",
    });
  });

  it("lists each signed form of a query once, only when it differs from the previous one", () => {
    expect(signedParamVariants([["a", "1"]]).map((form) => form.variant)).toEqual(["as-received"]);
    expect(signedParamVariants([["locations", ""]]).map((form) => form.variant)).toEqual([
      "as-received",
      "empty-dropped",
    ]);
    expect(
      signedParamVariants([
        ["a", "1"],
        ["memberId", ""],
      ]),
    ).toEqual([
      {
        variant: "as-received",
        params: [
          ["a", "1"],
          ["memberId", ""],
        ],
      },
      { variant: "empty-dropped-except-locations", params: [["a", "1"]] },
    ]);
  });

  it("signedQueryDigest is the hex digest a signed query carries", () => {
    expect(signedQueryDigest(PAGE_SECRET, PAGE_PARAMS, String(PAGE_T))).toBe(PAGE_DIGEST);
  });

  it("buildSignedQuery replaces a signature already in the parameters", () => {
    const query = new URLSearchParams(
      buildSignedQuery([...PAGE_PARAMS, ["signature", "t=1,signature=x"]], PAGE_SECRET, PAGE_T),
    );
    expect(query.getAll("signature")).toEqual([`t=${PAGE_T},signature=${PAGE_DIGEST}`]);
  });

  it("signs at t = 0 (a non-negative integer)", () => {
    expect(signQuery(PAGE_PARAMS, PAGE_SECRET, 0)).toBe(
      `t=0,signature=${hmac(PAGE_SECRET, `${PAGE_JSON}.0`)}`,
    );
  });

  it("says what is wrong when it refuses", () => {
    const repeated: [string, string][] = [
      ["a", "1"],
      ["a", "2"],
    ];
    expect(() => signQuery(repeated, "k", 1)).toThrow("signQuery: a parameter name is repeated");
    expect(() => signQuery(PAGE_PARAMS, "", 1)).toThrow("sign: secret must not be empty");
    expect(() => signQuery(PAGE_PARAMS, "k", -1)).toThrow(
      "sign: timestamp must be a non-negative integer (unix seconds)",
    );
    expect(() =>
      verifySignedQuery(buildSignedQuery(PAGE_PARAMS, PAGE_SECRET, PAGE_T), [PAGE_SECRET], {
        now: Number.NaN,
      }),
    ).toThrow("verify: options.now must be a finite number");
    expect(() =>
      verifyWebhook(WEBHOOK_BODY, signWebhook(WEBHOOK_BODY, WEBHOOK_SECRET, WEBHOOK_T), [WEBHOOK_SECRET], {
        now: WEBHOOK_T,
        toleranceSeconds: -1,
      }),
    ).toThrow("verify: tolerances must be non-negative finite numbers");
  });
});
