import "server-only";
import { AppError, toErrorResponse, type ErrorCode } from "@/lib/errors";
import { log, withLogContext } from "@/lib/log";
import { observeRequest } from "@/lib/metrics";

/** A flat JSON error, the one shape every route answers with: `{ error, message }`. */
export function errorResponse(code: ErrorCode, message: string, headers: Record<string, string> = {}): Response {
  const { status, body } = toErrorResponse(new AppError(code, message));
  return Response.json(body, { status, headers: { "Cache-Control": "no-store", ...headers } });
}

/**
 * Runs a route handler with the request's log context (request id, route), counts it in the request
 * metrics and writes one access-log line. Handlers passed here must not throw (see withErrors).
 */
export function observed<Args extends unknown[]>(route: string, handler: (...args: Args) => Promise<Response>): (...args: Args) => Promise<Response> {
  return async (...args: Args) => {
    const request = args[0] instanceof Request ? args[0] : undefined;
    // proxy.ts gives every request an id; fall back to a fresh one when called outside Next (tests).
    const requestId = request?.headers.get("x-request-id") ?? crypto.randomUUID();
    return withLogContext({ requestId, route }, async () => {
      const started = performance.now();
      const response = await handler(...args);
      const seconds = (performance.now() - started) / 1000;
      observeRequest(route, request?.method ?? "GET", response.status, seconds);
      log.info({ method: request?.method ?? "GET", status: response.status, ms: Math.round(seconds * 1000) }, "request");
      return response;
    });
  };
}

/**
 * Wraps a route handler: anything thrown becomes a JSON error that leaks nothing (AppError and
 * ZodError as themselves, a database outage as 503, the rest as a logged 500).
 */
export function withErrors<Args extends unknown[]>(route: string, handler: (...args: Args) => Promise<Response>): (...args: Args) => Promise<Response> {
  return observed(route, async (...args: Args) => {
    try {
      return await handler(...args);
    } catch (error) {
      const { status, body, headers } = toErrorResponse(error);
      if (status >= 500) log.error({ err: error instanceof Error ? { name: error.name, message: error.message } : String(error) }, "request failed");
      return Response.json(body, { status, headers: { "Cache-Control": "no-store", ...headers } });
    }
  });
}
