import "server-only";
import { toErrorResponse, type ErrorAnswer } from "@/lib/errors";
import { checkPublicRateLimit, responseSecurityHeaders } from "@/lib/http/public-guards";
import { errorSummary, log, withLogContext } from "@/lib/log";
import { observeRequest } from "@/lib/metrics";

// The core of the request pipeline (docs/ARCHITECTURE.md, "Request pipeline"). Routes never call it
// directly: they use one of its wrappers, withErrors (JSON), withSignedRequest (OfficeRnD's signed GETs)
// or withRedirects (redirects and HTML), and test/route-pipeline.test.ts fails on a route that does not.

export type RouteOptions = {
  /** Public endpoints: limited per client IP, and per tenant (organisation slug, installation) when given. */
  publicRateLimit?: { tenant: (request: Request) => string | undefined };
};

/**
 * Runs a route handler with the request's log context (request id, route), the public rate limits
 * when asked, the security headers and request id on the response, the request metrics and one
 * access-log line. Handlers passed here must not throw (the wrappers catch first).
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
      const limited =
        request && options.publicRateLimit
          ? checkPublicRateLimit(request.headers, options.publicRateLimit.tenant(request))
          : undefined;
      const response = withHeaders(limited ?? (await handler(...args)), {
        ...responseSecurityHeaders(),
        "x-request-id": requestId,
      });
      const seconds = (performance.now() - started) / 1000;
      observeRequest(route, request?.method ?? "GET", response.status, seconds);
      log.info(
        { method: request?.method ?? "GET", status: response.status, ms: Math.round(seconds * 1000) },
        "request",
      );
      return response;
    });
  };
}

/**
 * The error mapping every wrapper shares: AppError and ZodError as themselves, an outage as 503, the rest a
 * logged 500.
 */
export function answerFor(error: unknown, route?: string): ErrorAnswer {
  const answer = toErrorResponse(error);
  if (answer.status >= 500)
    log.error(
      { ...(route ? { route } : {}), err: errorSummary(error, { withName: true }) },
      "request failed",
    );
  return answer;
}

export function jsonError({ status, body, headers }: ErrorAnswer): Response {
  return Response.json(body, { status, headers: { "Cache-Control": "no-store", ...headers } });
}

function validRequestId(value: string | null | undefined): string | undefined {
  return value && /^[\w-]{8,64}$/.test(value) ? value : undefined;
}

/**
 * Adds the pipeline's headers where the route did not set its own (/connect tightens Referrer-Policy
 * to no-referrer); redirects made with Response.redirect have immutable headers, so those are copied.
 */
function withHeaders(response: Response, headers: Record<string, string>): Response {
  const apply = (target: Response): Response => {
    for (const [name, value] of Object.entries(headers))
      if (name === "x-request-id" || !target.headers.has(name)) target.headers.set(name, value);
    return target;
  };
  try {
    return apply(response);
  } catch {
    return apply(new Response(response.body, response));
  }
}
