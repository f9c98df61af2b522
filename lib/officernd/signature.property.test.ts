import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  canonicalQueryJson,
  signQuery,
  signWebhook,
  verifySignedQuery,
  verifyWebhook,
  type QueryParam,
} from "./signature";

// Properties over arbitrary parameters: the query always travels through URLSearchParams encoding,
// as it does between OfficeRnD and us. Run counts keep the whole file well under a second.
const RUNS = { numRuns: 200 };
const TOLERANCE = 300;
const FUTURE_TOLERANCE = 30;

// Characters that break naive query handling, plus whole code points (astral ones included).
// Whole code points only: lone surrogates cannot survive URL encoding (they become U+FFFD).
const trickyChunk = fc.oneof(
  fc.constantFrom(
    "&",
    "=",
    "+",
    "%",
    "%2B",
    "%zz",
    '"',
    "'",
    " ",
    "#",
    "?",
    ",",
    "\\",
    "\u0000",
    "é",
    "😀",
    "𝄞",
  ),
  fc.string({ unit: "binary", maxLength: 3 }),
);
const text = fc.array(trickyChunk, { maxLength: 5 }).map((chunks) => chunks.join(""));
const name = fc.oneof(text, fc.nat({ max: 99 }).map(String)).filter((value) => value !== "signature");
const params = fc.uniqueArray(fc.tuple(name, text), { selector: ([key]) => key, maxLength: 6 });
const nonEmptyParams = fc.uniqueArray(fc.tuple(name, text), {
  selector: ([key]) => key,
  minLength: 1,
  maxLength: 6,
});
const secret = fc.string({ unit: "binary", minLength: 1, maxLength: 40 });
const timestamp = fc.integer({ min: 1_000_000_000, max: 4_000_000_000 });

function signedQuery(pairs: readonly QueryParam[], key: string, t: number, signatureValue?: string): string {
  const search = new URLSearchParams(pairs.map(([k, v]) => [k, v]));
  search.append("signature", signatureValue ?? signQuery(pairs, key, t));
  return search.toString();
}

const isIntegerLike = (key: string) => /^(0|[1-9][0-9]*)$/.test(key);

describe("signed query properties", () => {
  it("sign-then-verify succeeds and returns the params exactly, in order", () => {
    fc.assert(
      fc.property(params, secret, timestamp, (pairs, key, t) => {
        const result = verifySignedQuery(signedQuery(pairs, key, t), ["decoy", key], { now: t });
        expect(result).toEqual({
          ok: true,
          secretIndex: 1,
          timestamp: t,
          signature: expect.any(String),
          params: pairs,
          variant: "as-received",
        });
      }),
      RUNS,
    );
  });

  it("builds the same JSON as JSON.stringify of an object when no key is integer-like", () => {
    fc.assert(
      fc.property(params, (pairs) => {
        fc.pre(!pairs.some(([key]) => isIntegerLike(key)));
        expect(canonicalQueryJson(pairs)).toBe(JSON.stringify(Object.fromEntries(pairs)));
      }),
      RUNS,
    );
  });

  type Mutation = (pairs: QueryParam[], extra: string) => QueryParam[];
  const mutations: Record<string, Mutation> = {
    "append to a value": (pairs, extra) => pairs.map(([k, v], i) => [k, i === 0 ? `${v}${extra || "x"}` : v]),
    "rename a parameter": (pairs, extra) => {
      const renamed = `${pairs[0]![0]}${extra || "x"}`;
      fc.pre(renamed !== "signature" && !pairs.some(([k]) => k === renamed));
      return [[renamed, pairs[0]![1]], ...pairs.slice(1)];
    },
    "swap two parameters": (pairs) => {
      fc.pre(pairs.length >= 2);
      return [pairs[1]!, pairs[0]!, ...pairs.slice(2)];
    },
    "drop a parameter": (pairs) => pairs.slice(1),
    // A non-empty one: an added empty parameter is tolerated (OfficeRnD sends `memberId=` unsigned).
    "add a parameter": (pairs, extra) => {
      const added = `${extra}+added`;
      fc.pre(!pairs.some(([k]) => k === added));
      return [...pairs, [added, extra || "x"]];
    },
  };

  it.each(Object.entries(mutations))("any %s makes verification fail with mismatch", (_label, mutate) => {
    fc.assert(
      fc.property(nonEmptyParams, text, secret, timestamp, (pairs, extra, key, t) => {
        const signature = signQuery(pairs, key, t);
        const tampered = mutate(pairs, extra);
        const result = verifySignedQuery(signedQuery(tampered, key, t, signature), [key], { now: t });
        expect(result).toEqual({ ok: false, reason: "mismatch" });
      }),
      RUNS,
    );
  });

  it("an added empty parameter verifies, as the variant that leaves empty values out (the sample signs without memberId=)", () => {
    fc.assert(
      fc.property(nonEmptyParams, text, secret, timestamp, (pairs, name, key, t) => {
        const added = `${name}+added`;
        fc.pre(!pairs.some(([k, v]) => k === added || v === ""));
        const signature = signQuery(pairs, key, t);
        const result = verifySignedQuery(signedQuery([...pairs, [added, ""]], key, t, signature), [key], {
          now: t,
        });
        expect(result).toMatchObject({
          ok: true,
          variant: added === "locations" ? "empty-dropped" : "empty-dropped-except-locations",
        });
      }),
      RUNS,
    );
  });

  it("a different timestamp inside the window, or another secret, fails with mismatch", () => {
    const shift = fc.integer({ min: -TOLERANCE, max: FUTURE_TOLERANCE }).filter((delta) => delta !== 0);
    fc.assert(
      fc.property(params, secret, secret, timestamp, shift, (pairs, key, otherKey, t, delta) => {
        fc.pre(otherKey !== key);
        const digest = signQuery(pairs, key, t).split("signature=")[1]!;
        const moved = signedQuery(pairs, key, t, `t=${t + delta},signature=${digest}`);
        expect(verifySignedQuery(moved, [key], { now: t })).toEqual({ ok: false, reason: "mismatch" });
        expect(verifySignedQuery(signedQuery(pairs, key, t), [otherKey], { now: t })).toEqual({
          ok: false,
          reason: "mismatch",
        });
      }),
      RUNS,
    );
  });

  it("changing any one hex digit of the signature fails with mismatch", () => {
    const position = fc.nat({ max: 63 });
    const digit = fc.constantFrom(..."0123456789abcdef");
    fc.assert(
      fc.property(params, secret, timestamp, position, digit, (pairs, key, t, index, replacement) => {
        const digest = signQuery(pairs, key, t).split("signature=")[1]!;
        fc.pre(digest[index] !== replacement);
        const changed = `${digest.slice(0, index)}${replacement}${digest.slice(index + 1)}`;
        const query = signedQuery(pairs, key, t, `t=${t},signature=${changed}`);
        expect(verifySignedQuery(query, [key], { now: t })).toEqual({ ok: false, reason: "mismatch" });
      }),
      RUNS,
    );
  });

  it("repeating any parameter, or the signature, is malformed", () => {
    fc.assert(
      fc.property(
        nonEmptyParams,
        fc.nat(),
        secret,
        timestamp,
        fc.boolean(),
        (pairs, pick, key, t, isSignature) => {
          const query = signedQuery(pairs, key, t);
          const repeated = pairs[pick % pairs.length]!;
          const extra = isSignature ? ["signature", signQuery(pairs, key, t)] : [repeated[0], repeated[1]];
          const doubled = `${query}&${new URLSearchParams([extra])}`;
          expect(verifySignedQuery(doubled, [key], { now: t })).toEqual({ ok: false, reason: "malformed" });
        },
      ),
      RUNS,
    );
  });

  it("timestamps outside the window fail as stale or future whatever the secret", () => {
    const beyond = fc.integer({ min: 1, max: 10_000_000 });
    fc.assert(
      fc.property(params, secret, timestamp, beyond, fc.boolean(), (pairs, key, t, excess, isPast) => {
        const now = isPast ? t + TOLERANCE + excess : t - FUTURE_TOLERANCE - excess;
        const expected = { ok: false, reason: isPast ? "stale" : "future" };
        const query = signedQuery(pairs, key, t);
        expect(verifySignedQuery(query, [key], { now })).toEqual(expected);
        expect(verifySignedQuery(query, [], { now })).toEqual(expected);
      }),
      RUNS,
    );
  });

  it("timestamps inside the window verify", () => {
    const offset = fc.integer({ min: -FUTURE_TOLERANCE, max: TOLERANCE });
    fc.assert(
      fc.property(params, secret, timestamp, offset, (pairs, key, t, delta) => {
        expect(verifySignedQuery(signedQuery(pairs, key, t), [key], { now: t + delta }).ok).toBe(true);
      }),
      RUNS,
    );
  });
});

describe("webhook properties", () => {
  const body = fc.uint8Array({ maxLength: 512 });

  it("sign-then-verify succeeds for arbitrary byte bodies", () => {
    fc.assert(
      fc.property(body, secret, timestamp, (bytes, key, t) => {
        const header = signWebhook(bytes, key, t);
        expect(verifyWebhook(Buffer.from(bytes), header, [key], { now: t })).toMatchObject({
          ok: true,
          secretIndex: 0,
        });
      }),
      RUNS,
    );
  });

  it("a string body verifies as its UTF-8 bytes", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), secret, timestamp, (raw, key, t) => {
        const header = signWebhook(raw, key, t);
        expect(verifyWebhook(Buffer.from(raw, "utf8"), header, [key], { now: t }).ok).toBe(true);
      }),
      RUNS,
    );
  });

  it("flipping any bits of any byte fails with mismatch", () => {
    const nonEmptyBody = fc.uint8Array({ minLength: 1, maxLength: 512 });
    fc.assert(
      fc.property(
        nonEmptyBody,
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        secret,
        timestamp,
        (bytes, pick, mask, key, t) => {
          const header = signWebhook(bytes, key, t);
          const flipped = Uint8Array.from(bytes);
          const index = pick % flipped.length;
          flipped[index] = flipped[index]! ^ mask;
          expect(verifyWebhook(flipped, header, [key], { now: t })).toEqual({
            ok: false,
            reason: "mismatch",
          });
        },
      ),
      RUNS,
    );
  });

  it("appending or removing bytes fails with mismatch", () => {
    fc.assert(
      fc.property(
        body,
        fc.uint8Array({ minLength: 1, maxLength: 8 }),
        secret,
        timestamp,
        (bytes, tail, key, t) => {
          const header = signWebhook(bytes, key, t);
          const longer = Buffer.concat([bytes, tail]);
          expect(verifyWebhook(longer, header, [key], { now: t })).toEqual({ ok: false, reason: "mismatch" });
          expect(verifyWebhook(longer, signWebhook(longer, key, t), [key], { now: t }).ok).toBe(true);
          expect(verifyWebhook(bytes, signWebhook(longer, key, t), [key], { now: t })).toEqual({
            ok: false,
            reason: "mismatch",
          });
        },
      ),
      RUNS,
    );
  });
});
