import "server-only";
import { answerFor, jsonError, observed, type RouteOptions } from "@/lib/http/pipeline";

/**
 * The JSON routes' wrapper: the pipeline (lib/http/pipeline.ts), and anything thrown becomes a JSON
 * error that leaks nothing (AppError and ZodError as themselves, a database outage as 503, the rest as
 * a logged 500).
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
        return jsonError(answerFor(error));
      }
    },
    options,
  );
}
