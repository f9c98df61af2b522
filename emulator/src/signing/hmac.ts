import { createHmac } from "node:crypto";

// OfficeRnD's signatures (spec §3a, §3b) are HMAC-SHA256 lowercase hex digests, carried as
// `t=<unix seconds>,signature=<hex>` in a query parameter or in the `officernd-signature` header.

export function hmacSha256Hex({ key, message }: { key: string; message: string }): string {
  return createHmac("sha256", key).update(message, "utf8").digest("hex");
}

export function formatSignature({ timestamp, digest }: { timestamp: number; digest: string }): string {
  return `t=${timestamp},signature=${digest}`;
}

/**
 * Signs the query parameters of a call to a partner URL (spec §3a): the message is
 * `JSON.stringify(params in sending order)` + "." + t, keyed by the integration secret.
 * Key order and empty strings matter, so the params are an ordered list of string pairs.
 */
export function signQueryParams({
  params,
  secret,
  timestamp,
}: {
  params: ReadonlyArray<readonly [string, string]>;
  secret: string;
  timestamp: number;
}): string {
  const message = `${JSON.stringify(Object.fromEntries(params))}.${timestamp}`;
  return formatSignature({ timestamp, digest: hmacSha256Hex({ key: secret, message }) });
}

/** Signs a webhook body (spec §3b): the message is `<raw body>.<t>`, keyed by the webhook's secret. */
export function signWebhookBody({
  rawBody,
  secret,
  timestamp,
}: {
  rawBody: string;
  secret: string;
  timestamp: number;
}): string {
  return formatSignature({
    timestamp,
    digest: hmacSha256Hex({ key: secret, message: `${rawBody}.${timestamp}` }),
  });
}
