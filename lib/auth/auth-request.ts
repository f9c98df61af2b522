import { NextRequest } from "next/server";

// next-auth 4 answers 500 when a callbackUrl (query or its cookie) is neither an http(s) URL nor a path
// (core/lib/assert.js), and copies `error=` unencoded into a Location header. Clients choose all three, so
// a bad query value is dropped before next-auth sees it, a bad cookie is cleared with a 400 (next-auth
// reads cookies from next/headers, not the request), and only error names pass. Found by the e2e fuzz.

export const CALLBACK_COOKIES = ["next-auth.callback-url", "__Secure-next-auth.callback-url"];
const ERROR_NAME = /^[A-Za-z0-9:_-]{1,64}$/;

/** next-auth's own test: a path, or an absolute http(s) URL. */
export function isAcceptedCallbackUrl(value: string, baseUrl: string): boolean {
  try {
    return /^https?:$/.test(new URL(value, value.startsWith("/") ? baseUrl : undefined).protocol);
  } catch {
    return false;
  }
}

/** The request without an invalid `callbackUrl` or `error` query parameter (the same object when fine). */
export function withoutInvalidCallbackUrls(request: Request, baseUrl: string): Request {
  const url = new URL(request.url);
  const values = url.searchParams.getAll("callbackUrl");
  const isQueryBad =
    values.length > 1 ||
    (values.length === 1 && values[0] !== "" && !isAcceptedCallbackUrl(values[0]!, baseUrl));
  if (isQueryBad) url.searchParams.delete("callbackUrl");
  const errors = url.searchParams.getAll("error");
  const isErrorBad = errors.length > 1 || errors.some((value) => !ERROR_NAME.test(value));
  if (isErrorBad) url.searchParams.delete("error");
  if (!isQueryBad && !isErrorBad) return request;
  const hasBody = request.method !== "GET" && request.method !== "HEAD";
  // next-auth reads `req.nextUrl`, so the copy must be a NextRequest.
  return new NextRequest(url, {
    method: request.method,
    headers: request.headers,
    body: hasBody ? request.body : undefined,
    duplex: "half",
  } as ConstructorParameters<typeof NextRequest>[1]);
}

/** Whether the request carries a callback-url cookie next-auth would answer 500 for. */
export function hasInvalidCallbackCookie(request: Request, baseUrl: string): boolean {
  return (request.headers.get("cookie") ?? "").split(";").some((part) => {
    const trimmed = part.trim();
    const separator = trimmed.indexOf("=");
    if (separator < 0 || !CALLBACK_COOKIES.includes(trimmed.slice(0, separator))) return false;
    return !isAcceptedCallbackUrl(safeDecode(trimmed.slice(separator + 1)), baseUrl);
  });
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
