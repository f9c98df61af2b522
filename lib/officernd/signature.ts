import { createHmac, timingSafeEqual } from "node:crypto";

// Pure verifier for the two signatures OfficeRnD sends (spec: officernd-api.md §3,
// partner guide "Step 4"). No I/O and no clock except the `now` default, so callers can inject time.

export type QueryParam = [name: string, value: string];
export type VerifyFailureReason = "missing" | "malformed" | "stale" | "future" | "mismatch";
export type VerifyFailure = { ok: false; reason: VerifyFailureReason };
/** `signature` is the verified digest in lowercase hex, e.g. as a replay-protection key. */
export type VerifySuccess = { ok: true; secretIndex: number; timestamp: number; signature: string };
export type VerifyResult<Extra extends object = Record<never, never>> =
  (VerifySuccess & Extra) | VerifyFailure;
/**
 * Which form of the query the signature covered. OfficeRnD's official sample deletes a falsy
 * `memberId` before signing but sends it anyway (api.md §3a "Quirk"), so a query with empty values is
 * also tried with them left out: first every empty parameter except `locations` (whose "" means "every
 * location" and is signed in the real vector), then every empty parameter.
 */
export type SignedQueryVariant = "as-received" | "empty-dropped-except-locations" | "empty-dropped";
export type QueryVerifyResult = VerifyResult<{ params: QueryParam[]; variant: SignedQueryVariant }>;
export type VerifyOptions = {
  /** Current time in unix seconds; defaults to the system clock. */
  now?: number;
  toleranceSeconds?: number;
  futureToleranceSeconds?: number;
};
export type ParsedSignatureHeader =
  | { ok: true; timestamp: number; timestampText: string; signature: string }
  | { ok: false; reason: "missing" | "malformed" };

/** Past tolerance: the official sample uses 60 s, the n8n node ±300 s; 300 s absorbs retries and skew. */
export const DEFAULT_TOLERANCE_SECONDS = 300;
/** The official sample rejects any future `t`; we allow small clock skew (api.md §6 pitfall 4). */
export const DEFAULT_FUTURE_TOLERANCE_SECONDS = 30;
export const SIGNATURE_PARAM = "signature";

const TIMESTAMP_PATTERN = /^[0-9]+$/;
const SHA256_HEX_PATTERN = /^[0-9a-fA-F]{64}$/;

/**
 * Parses `t=<unix seconds>,signature=<hex>` (the `signature` query value and the
 * `officernd-signature` webhook header). Protocol: "The signature has two fields, separated with `,`:
 * `t` and `signature`". Whitespace after a comma is tolerated; unknown, repeated or missing fields,
 * a non-digit `t` and anything but 64 hex digits are `malformed`. Uppercase hex is accepted and
 * returned lowercased (a digest's case carries no information).
 */
export function parseSignatureHeader(value: string | null | undefined): ParsedSignatureHeader {
  if (value === undefined || value === null || value === "") return { ok: false, reason: "missing" };

  const fields = new Map<string, string>();
  for (const [index, part] of value.split(",").entries()) {
    const field = index === 0 ? part : part.replace(/^[ \t]+/, "");
    const equals = field.indexOf("=");
    const name = field.slice(0, equals);
    if (equals < 0 || (name !== "t" && name !== "signature") || fields.has(name)) return malformed();
    fields.set(name, field.slice(equals + 1));
  }

  const timestampText = fields.get("t");
  const signature = fields.get("signature");
  if (timestampText === undefined || !TIMESTAMP_PATTERN.test(timestampText)) return malformed();
  if (signature === undefined || !SHA256_HEX_PATTERN.test(signature)) return malformed();
  const timestamp = Number(timestampText);
  // Digits beyond 2^53 cannot be compared with the clock reliably.
  if (!Number.isSafeInteger(timestamp)) return malformed();
  return { ok: true, timestamp, timestampText, signature: signature.toLowerCase() };
}

export function formatSignatureHeader(timestamp: number, signatureHex: string): string {
  return `t=${timestamp},signature=${signatureHex}`;
}

/**
 * The JSON half of the signed query message: `JSON.stringify` of an object holding the parameters in
 * received order. Built by hand because a JS object would move integer-like keys ("42") first.
 */
export function canonicalQueryJson(params: Iterable<readonly [string, string]>): string {
  const members = Array.from(params, ([name, value]) => `${JSON.stringify(name)}:${JSON.stringify(value)}`);
  return `{${members.join(",")}}`;
}

/** Protocol: "The request query parameters and timestamp are joined by a dot `.` and HMAC hashed." */
export function signedQueryMessage(
  params: Iterable<readonly [string, string]>,
  timestamp: number | string,
): string {
  return `${canonicalQueryJson(params)}.${timestamp}`;
}

/**
 * Signs page-request parameters the way OfficeRnD does (healthcheck, configuration and sync URLs):
 * HMAC-SHA256 hex, keyed by the integration secret, over `JSON.stringify(<params but signature, in order>)
 * + "." + t`. Values must be well-formed Unicode: URL encoding turns lone surrogates into U+FFFD.
 */
export function signQuery(
  params: Iterable<readonly [string, string]> | URLSearchParams,
  secret: string,
  timestamp: number,
): string {
  assertSigningInput(secret, timestamp);
  const pairs = Array.from(params).filter(([name]) => name !== SIGNATURE_PARAM);
  if (hasRepeatedName(pairs)) throw new TypeError("signQuery: a parameter name is repeated");
  const digest = hmacHex(secret, signedQueryMessage(pairs, timestamp));
  return formatSignatureHeader(timestamp, digest);
}

/** `signQuery` plus URL encoding: the full query string (no `?`) with `signature` appended last. */
export function buildSignedQuery(
  params: Iterable<readonly [string, string]> | URLSearchParams,
  secret: string,
  timestamp: number,
): string {
  const pairs = Array.from(params).filter(([name]) => name !== SIGNATURE_PARAM);
  const search = new URLSearchParams(pairs.map(([name, value]) => [name, value]));
  search.append(SIGNATURE_PARAM, signQuery(pairs, secret, timestamp));
  return search.toString();
}

/**
 * Verifies a signed GET from OfficeRnD. Values are taken exactly as URL-decoded (`+` is a space, empty
 * strings kept, no trimming: api.md §6 pitfall 3). Every candidate secret is tried (rotation, several
 * installations in one organisation). Checks run missing → malformed → time window → HMAC, so stale
 * requests cost no HMAC.
 */
export function verifySignedQuery(
  query: string | URLSearchParams,
  secrets: readonly string[],
  options: VerifyOptions = {},
): QueryVerifyResult {
  // The URLSearchParams string constructor strips one leading "?".
  const entries = Array.from(typeof query === "string" ? new URLSearchParams(query) : query);
  const signatureValues = entries.filter(([name]) => name === SIGNATURE_PARAM).map(([, value]) => value);
  if (signatureValues.length > 1) return malformed();
  const [signatureValue] = signatureValues;
  if (signatureValue === undefined || signatureValue === "") return { ok: false, reason: "missing" };

  const params = entries.filter(([name]) => name !== SIGNATURE_PARAM);
  // A repeated name has no single JSON representation (OfficeRnD signs one object), so refuse it.
  if (hasRepeatedName(params)) return malformed();

  const header = parseSignatureHeader(signatureValue);
  if (!header.ok) return header;
  const windowFailure = checkTimestampWindow(header.timestamp, options);
  if (windowFailure) return windowFailure;

  for (const candidate of signedParamVariants(params)) {
    const message = signedQueryMessage(candidate.params, header.timestampText);
    const secretIndex = findMatchingSecret(secrets, header.signature, (secret) => hmacBytes(secret, message));
    // `params` stays the query as received: a dropped empty value reads as absent ("") either way.
    if (secretIndex >= 0)
      return {
        ok: true,
        secretIndex,
        timestamp: header.timestamp,
        signature: header.signature,
        params,
        variant: candidate.variant,
      };
  }
  return { ok: false, reason: "mismatch" };
}

/** The forms of a query OfficeRnD may have signed, in the order tried (see {@link SignedQueryVariant}). */
export function signedParamVariants(
  params: readonly QueryParam[],
): { variant: SignedQueryVariant; params: QueryParam[] }[] {
  const variants: { variant: SignedQueryVariant; params: QueryParam[] }[] = [
    { variant: "as-received", params: [...params] },
  ];
  const exceptLocations = params.filter(([name, value]) => value !== "" || name === "locations");
  if (exceptLocations.length !== params.length)
    variants.push({ variant: "empty-dropped-except-locations", params: exceptLocations });
  const allDropped = params.filter(([, value]) => value !== "");
  if (allDropped.length !== exceptLocations.length)
    variants.push({ variant: "empty-dropped", params: allDropped });
  return variants;
}

/** The HMAC-SHA256 hex digest of a signed-query message; for the signature explainer's step-by-step. */
export function signedQueryDigest(
  secret: string,
  params: readonly QueryParam[],
  timestampText: string,
): string {
  return hmacHex(secret, signedQueryMessage(params, timestampText));
}

/**
 * Signs a webhook body the way OfficeRnD does for the `officernd-signature` header:
 * HMAC-SHA256 hex over `<raw body bytes> + "." + t`, keyed by the webhook's secret.
 */
export function signWebhook(rawBody: string | Uint8Array, secret: string, timestamp: number): string {
  assertSigningInput(secret, timestamp);
  const digest = createHmac("sha256", secret).update(rawBody).update(`.${timestamp}`).digest("hex");
  return formatSignatureHeader(timestamp, digest);
}

/**
 * Verifies an `officernd-signature` header against the raw request body (never a re-serialised parse:
 * api.md §5 notes the official sample's weakness). Same result and checks as {@link verifySignedQuery}.
 */
export function verifyWebhook(
  rawBody: string | Uint8Array,
  header: string | null | undefined,
  secrets: readonly string[],
  options: VerifyOptions = {},
): VerifyResult {
  const parsed = parseSignatureHeader(header);
  if (!parsed.ok) return parsed;
  const windowFailure = checkTimestampWindow(parsed.timestamp, options);
  if (windowFailure) return windowFailure;

  const suffix = `.${parsed.timestampText}`;
  const secretIndex = findMatchingSecret(secrets, parsed.signature, (secret) =>
    createHmac("sha256", secret).update(rawBody).update(suffix).digest(),
  );
  if (secretIndex < 0) return { ok: false, reason: "mismatch" };
  return { ok: true, secretIndex, timestamp: parsed.timestamp, signature: parsed.signature };
}

function malformed(): { ok: false; reason: "malformed" } {
  return { ok: false, reason: "malformed" };
}

function checkTimestampWindow(timestamp: number, options: VerifyOptions): VerifyFailure | undefined {
  const now = options.now ?? Math.floor(Date.now() / 1000);
  const tolerance = options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  const futureTolerance = options.futureToleranceSeconds ?? DEFAULT_FUTURE_TOLERANCE_SECONDS;
  if (!Number.isFinite(now)) throw new RangeError("verify: options.now must be a finite number");
  if (!isNonNegativeFinite(tolerance) || !isNonNegativeFinite(futureTolerance)) {
    throw new RangeError("verify: tolerances must be non-negative finite numbers");
  }
  if (timestamp < now - tolerance) return { ok: false, reason: "stale" };
  if (timestamp > now + futureTolerance) return { ok: false, reason: "future" };
  return undefined;
}

/**
 * Computes the digest for every candidate and compares each in constant time, without stopping at
 * the first match, so timing reveals little about which candidate matched. Empty secrets never match:
 * an unset secret must not turn into a key anyone can sign with.
 */
function findMatchingSecret(
  secrets: readonly string[],
  signatureHex: string,
  digestFor: (secret: string) => Buffer,
): number {
  const provided = Buffer.from(signatureHex, "hex");
  let matchedIndex = -1;
  secrets.forEach((secret, index) => {
    const expected = digestFor(secret);
    const isEqual = expected.length === provided.length && timingSafeEqual(expected, provided);
    if (isEqual && secret !== "" && matchedIndex < 0) matchedIndex = index;
  });
  return matchedIndex;
}

function hmacBytes(secret: string, message: string): Buffer {
  return createHmac("sha256", secret).update(message, "utf8").digest();
}

function hmacHex(secret: string, message: string): string {
  return hmacBytes(secret, message).toString("hex");
}

function hasRepeatedName(pairs: readonly (readonly [string, string])[]): boolean {
  return new Set(pairs.map(([name]) => name)).size !== pairs.length;
}

function isNonNegativeFinite(value: number): boolean {
  return Number.isFinite(value) && value >= 0;
}

function assertSigningInput(secret: string, timestamp: number): void {
  if (secret === "") throw new TypeError("sign: secret must not be empty");
  if (!Number.isSafeInteger(timestamp) || timestamp < 0) {
    throw new RangeError("sign: timestamp must be a non-negative integer (unix seconds)");
  }
}
