// next-auth 4 answers 500 ("problem with the server configuration") when a request carries a
// callbackUrl, in the query or in its callback-url cookie, that is not an http(s) URL or a path
// (core/lib/assert.js). Clients choose both, so invalid ones are dropped before next-auth sees them;
// next-auth then falls back to its default. Found by e2e/api/fuzz.spec.ts (`/api/auth/csrf?callbackUrl=+`).
// Likewise `/api/auth/error?error=…` is copied unencoded into a redirect's Location header, so a
// control character there is a 500 (and would be header injection were Node less strict): only
// next-auth's own error names (and ours, `throttled:<s>`) pass.

const ERROR_NAME = /^[A-Za-z0-9:_-]{1,64}$/;

const CALLBACK_COOKIES = ["next-auth.callback-url", "__Secure-next-auth.callback-url"];

/** next-auth's own test: a path, or an absolute http(s) URL. */
export function isAcceptedCallbackUrl(value: string, baseUrl: string): boolean {
  try {
    return /^https?:$/.test(new URL(value, value.startsWith("/") ? baseUrl : undefined).protocol);
  } catch {
    return false;
  }
}

/** The request with invalid callback URLs removed (the same object when there were none). */
export function withoutInvalidCallbackUrls(request: Request, baseUrl: string): Request {
  const url = new URL(request.url);
  const values = url.searchParams.getAll("callbackUrl");
  const isQueryBad = values.length > 1 || (values.length === 1 && values[0] !== "" && !isAcceptedCallbackUrl(values[0]!, baseUrl));
  if (isQueryBad) url.searchParams.delete("callbackUrl");
  const errors = url.searchParams.getAll("error");
  const isErrorBad = errors.length > 1 || errors.some((value) => !ERROR_NAME.test(value));
  if (isErrorBad) url.searchParams.delete("error");
  const cookieHeader = request.headers.get("cookie") ?? "";
  const cookies = cookieHeader.split(";").map((part) => part.trim());
  const kept = cookies.filter((part) => {
    const separator = part.indexOf("=");
    const name = separator < 0 ? part : part.slice(0, separator);
    if (!CALLBACK_COOKIES.includes(name)) return true;
    return isAcceptedCallbackUrl(safeDecode(part.slice(separator + 1)), baseUrl);
  });
  const isCookieBad = kept.length !== cookies.length;
  if (!isQueryBad && !isErrorBad && !isCookieBad) return request;
  const headers = new Headers(request.headers);
  if (isCookieBad) headers.set("cookie", kept.join("; "));
  const hasBody = request.method !== "GET" && request.method !== "HEAD";
  return new Request(url, { method: request.method, headers, body: hasBody ? request.body : undefined, duplex: "half" } as RequestInit);
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
