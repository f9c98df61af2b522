import "server-only";
import { AppError, toErrorResponse, type ErrorCode } from "@/lib/errors";
import { checkPublicRateLimit, responseSecurityHeaders } from "@/lib/http/public-guards";
import { errorSummary, log, withLogContext } from "@/lib/log";
import { observeRequest } from "@/lib/metrics";

/** A flat JSON error, the one shape every route answers with: `{ error, message }`. */
export function errorResponse(code: ErrorCode, message: string, headers: Record<string, string> = {}): Response {
  const { status, body } = toErrorResponse(new AppError(code, message));
  return Response.json(body, { status, headers: { "Cache-Control": "no-store", ...headers } });
}

export type RouteOptions = {
  /** Public endpoints: limited per client IP, and per tenant (organisation slug, installation) when given. */
  publicRateLimit?: { tenant: (request: Request) => string | undefined };
};

/**
 * Runs a route handler with the request's log context (request id, route), the public rate limits
 * when asked, the security headers and request id on the response, the request metrics and one
 * access-log line. Handlers passed here must not throw (see withErrors).
 */
export function observed<Args extends unknown[]>(
  route: string,
  handler: (...args: Args) => Promise<Response>,
  options: RouteOptions = {},
): (...args: Args) => Promise<Response> {
  return async (...args: Args) => {
    const request = args[0] instanceof Request ? args[0] : undefined;
    const requestId = validRequestId(request?.headers.get("x-request-id")) ?? crypto.randomUUID();
    return withLogContext({ requestId, route }, async () => {
      const started = performance.now();
      const limited = request && options.publicRateLimit ? checkPublicRateLimit(request.headers, options.publicRateLimit.tenant(request)) : undefined;
      const response = withHeaders(limited ?? (await handler(...args)), { ...responseSecurityHeaders(), "x-request-id": requestId });
      const seconds = (performance.now() - started) / 1000;
      observeRequest(route, request?.method ?? "GET", response.status, seconds);
      log.info({ method: request?.method ?? "GET", status: response.status, ms: Math.round(seconds * 1000) }, "request");
      return response;
    });
  };
}

function validRequestId(value: string | null | undefined): string | undefined {
  return value && /^[\w-]{8,64}$/.test(value) ? value : undefined;
}

/** Adds headers; redirects made with Response.redirect have immutable headers, so those are copied. */
function withHeaders(response: Response, headers: Record<string, string>): Response {
  try {
    for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
    return response;
  } catch {
    const copy = new Response(response.body, response);
    for (const [name, value] of Object.entries(headers)) copy.headers.set(name, value);
    return copy;
  }
}

/**
 * Wraps a route handler: anything thrown becomes a JSON error that leaks nothing (AppError and
 * ZodError as themselves, a database outage as 503, the rest as a logged 500).
 */
export function withErrors<Args extends unknown[]>(
  route: string,
  handler: (...args: Args) => Promise<Response>,
  options: RouteOptions = {},
): (...args: Args) => Promise<Response> {
  return observed(
    route,
    async (...args: Args) => {
      try {
        return await handler(...args);
      } catch (error) {
        const { status, body, headers } = toErrorResponse(error);
        if (status >= 500) log.error({ err: errorSummary(error, { withName: true }) }, "request failed");
        return Response.json(body, { status, headers: { "Cache-Control": "no-store", ...headers } });
      }
    },
    options,
  );
}
