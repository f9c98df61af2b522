// GET /connect – the Connect URL OfficeRnD opens in a popup (code, org_slug, locations, integrationId)
import { clientIp } from "@/lib/auth/throttle";
import { startConnection } from "@/lib/connect/start-connection";
import { STATE_COOKIE, stateCookiePath } from "@/lib/connect/state";
import { STATE_COOKIE_MAX_AGE_SECONDS } from "@/lib/connect/pending";
import { env } from "@/lib/env";
import { failedVerificationWait, rateLimitedResponse, recordFailedVerification } from "@/lib/http/public-guards";
import { errorSummary, log } from "@/lib/log";

export const dynamic = "force-dynamic";

/**
 * Does the server-side work at once (the code lives about a minute), then 303s to the popup's page:
 * the code leaves the address bar, and the state cookie binds the pending connection to this browser.
 */
export async function GET(request: Request): Promise<Response> {
  const appUrl = env().APP_URL;
  // `org_slug` is public, so nothing here counts against the organisation; a client IP whose codes
  // keep failing is refused before any work (issue 12 item 2).
  const failureWait = failedVerificationWait(request.headers);
  if (failureWait !== undefined) return rateLimitedResponse(failureWait);
  try {
    const result = await startConnection(new URL(request.url).searchParams, { clientIp: clientIp(request.headers) });
    const isCodeRejected =
      (result.kind === "refused" || result.kind === "started") && ("reason" in result ? result.reason : result.failure) === "code_rejected";
    if (result.kind === "invalid" || isCodeRejected) recordFailedVerification(request.headers);
    if (result.kind === "invalid") return seeOther(`${appUrl}/connect/failed?reason=invalid_request`);
    if (result.kind === "refused") {
      const query = new URLSearchParams({ reason: result.reason, ...(result.retryAfterSeconds ? { retryAfter: String(result.retryAfterSeconds) } : {}) });
      return seeOther(`${appUrl}/connect/failed?${query}`);
    }
    const cookie = [
      `${STATE_COOKIE}=${result.state}`,
      `Path=${stateCookiePath(result.pendingId)}`,
      `Max-Age=${STATE_COOKIE_MAX_AGE_SECONDS}`,
      "HttpOnly",
      "SameSite=Lax",
      ...(appUrl.startsWith("https://") ? ["Secure"] : []),
    ].join("; ");
    return seeOther(`${appUrl}/connect/${result.pendingId}`, { "Set-Cookie": cookie });
  } catch (error) {
    log.error({ reason: "internal", err: errorSummary(error, { withName: true }) }, "connect failed");
    return seeOther(`${appUrl}/connect/failed?reason=internal`);
  }
}

function seeOther(location: string, headers: Record<string, string> = {}): Response {
  // no-referrer: the request URL carried OfficeRnD's code.
  return new Response(null, { status: 303, headers: { Location: location, "Cache-Control": "no-store", "Referrer-Policy": "no-referrer", ...headers } });
}

/** Next would answer HEAD with GET; a HEAD must not spend OfficeRnD's one-time code. */
export function HEAD(): Response {
  return new Response(null, { status: 405, headers: { Allow: "GET" } });
}
