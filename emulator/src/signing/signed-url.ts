import { signQueryParams } from "./hmac";

export type QueryParams = ReadonlyArray<readonly [string, string]>;

/**
 * A partner URL carrying `params` in order and then `signature=t=…,signature=…` (spec §3a). The
 * receiver verifies JSON.stringify of every other parameter, in received order, so order is kept.
 */
export function buildSignedUrl({
  baseUrl,
  params,
  secret,
  timestamp,
  signedParams = params,
}: {
  baseUrl: string;
  params: QueryParams;
  secret: string;
  timestamp: number;
  /** What the signature covers, when it differs from what is sent (the `sparse` profile's `memberId=`). */
  signedParams?: QueryParams;
}): string {
  const url = new URL(baseUrl);
  for (const [key, value] of params) url.searchParams.append(key, value);
  url.searchParams.append("signature", signQueryParams({ params: signedParams, secret, timestamp }));
  return url.toString();
}
