import "server-only";
import type { ErrorAnswer } from "@/lib/errors";
import { answerFor, observed } from "@/lib/http/pipeline";

// The pipeline's wrapper for routes a browser navigates to (Connect and its confirmation form): they
// answer redirects or HTML, never JSON, so whatever is thrown is rendered by the route (usually a
// redirect to a page that explains it). Their public rate limits run earlier, in proxy.ts, with the pages.

export type RedirectRouteOptions<Args extends unknown[]> = {
  /** How anything the handler throws is answered (it has already been logged when unexpected). */
  renderError: (answer: ErrorAnswer, ...args: Args) => Response;
};

export function withRedirects<Args extends unknown[]>(
  route: string,
  handler: (...args: Args) => Promise<Response>,
  options: RedirectRouteOptions<Args>,
): (...args: Args) => Promise<Response> {
  return observed(route, async (...args: Args) => {
    try {
      return await handler(...args);
    } catch (error) {
      return options.renderError(answerFor(error, route), ...args);
    }
  });
}

/** A redirect nothing may cache; `headers` adds e.g. a Set-Cookie or a stricter Referrer-Policy. */
export function redirectTo(
  location: string,
  status: 302 | 303,
  headers: Record<string, string> = {},
): Response {
  return new Response(null, {
    status,
    headers: { Location: location, "Cache-Control": "no-store", ...headers },
  });
}
