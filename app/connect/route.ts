// GET /connect – the Connect URL OfficeRnD opens in a popup (code, org_slug, locations, integrationId)
import { clientIp } from "@/lib/auth/throttle";
import { STATE_COOKIE_MAX_AGE_SECONDS } from "@/lib/connect/pending";
import { startConnection } from "@/lib/connect/start-connection";
import { STATE_COOKIE, stateCookiePath } from "@/lib/connect/state";
import { serializeCookie } from "@/lib/cookies";
import { env } from "@/lib/env";
import {
  failedVerificationWait,
  rateLimitedResponse,
  recordFailedVerification,
} from "@/lib/http/public-guards";
import { redirectTo, withRedirects } from "@/lib/http/redirect-route";

export const dynamic = "force-dynamic";

/**
 * Does the server-side work at once (the code lives about a minute), then 303s to the popup's page:
 * the code leaves the address bar, and the state cookie binds the pending connection to this browser.
 */
export const GET = withRedirects(
  "connect",
  async (request: Request) => {
    const appUrl = env().APP_URL;
    // `org_slug` is public, so nothing here counts against the organisation; a client IP whose codes
    // keep failing is refused before any work (issue 12 item 2).
    const failureWait = failedVerificationWait(request.headers);
    if (failureWait !== undefined) return rateLimitedResponse(failureWait);
    const result = await startConnection(new URL(request.url).searchParams, {
      clientIp: clientIp(request.headers),
    });
    const isCodeRejected =
      (result.kind === "refused" || result.kind === "started") &&
      ("reason" in result ? result.reason : result.failure) === "code_rejected";
    if (result.kind === "invalid" || isCodeRejected) recordFailedVerification(request.headers);
    if (result.kind === "invalid") return seeOther(`${appUrl}/connect/failed?reason=invalid_request`);
    if (result.kind === "refused") {
      const query = new URLSearchParams({
        reason: result.reason,
        ...(result.retryAfterSeconds ? { retryAfter: String(result.retryAfterSeconds) } : {}),
      });
      return seeOther(`${appUrl}/connect/failed?${query}`);
    }
    const cookie = serializeCookie(STATE_COOKIE, result.state, {
      path: stateCookiePath(result.pendingId),
      maxAgeSeconds: STATE_COOKIE_MAX_AGE_SECONDS,
      httpOnly: true,
      secure: appUrl.startsWith("https://"),
      sameSite: "Lax",
    });
    return seeOther(`${appUrl}/connect/${result.pendingId}`, { "Set-Cookie": cookie });
  },
  { renderError: () => seeOther(`${env().APP_URL}/connect/failed?reason=internal`) },
);

function seeOther(location: string, headers: Record<string, string> = {}): Response {
  // no-referrer: the request URL carried OfficeRnD's code.
  return redirectTo(location, 303, { "Referrer-Policy": "no-referrer", ...headers });
}

// Next would answer HEAD by running GET, which spends OfficeRnD's one-time code. Why it is outside the
// wrappers: EXEMPT in lib/http/route-pipeline.test.ts.
export function HEAD(): Response {
  return new Response(null, { status: 405, headers: { Allow: "GET" } });
}
