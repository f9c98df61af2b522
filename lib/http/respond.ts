import "server-only";
import { AppError, toErrorResponse, type ErrorCode } from "@/lib/errors";
import { log } from "@/lib/log";
import { observeRequest } from "@/lib/metrics";

/** A flat JSON error, the one shape every route answers with: `{ error, message }`. */
export function errorResponse(code: ErrorCode, message: string, headers: Record<string, string> = {}): Response {
  const { status, body } = toErrorResponse(new AppError(code, message));
  return Response.json(body, { status, headers: { "Cache-Control": "no-store", ...headers } });
}

/**
 * Wraps a route handler: anything thrown becomes a JSON error that leaks nothing (AppError and
 * ZodError as themselves, a database outage as 503, the rest as a logged 500).
 */
export function withErrors<Args extends unknown[]>(route: string, handler: (...args: Args) => Promise<Response>): (...args: Args) => Promise<Response> {
  return async (...args: Args) => {
    const started = performance.now();
    const method = args[0] instanceof Request ? args[0].method : "GET";
    let response: Response;
    try {
      response = await handler(...args);
    } catch (error) {
      const { status, body, headers } = toErrorResponse(error);
      if (status >= 500) log.error({ route, err: error instanceof Error ? { name: error.name, message: error.message } : String(error) }, "request failed");
      response = Response.json(body, { status, headers: { "Cache-Control": "no-store", ...headers } });
    }
    observeRequest(route, method, response.status, (performance.now() - started) / 1000);
    return response;
  };
}
