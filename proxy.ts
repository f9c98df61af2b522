// Runs before every page request (not API routes: their wrapper does the same work, cheaper): a request
// id for the logs, rate limits on the public pages (Connect, sign-up), a 400 for an unreadable form
// POST (instead of Next's 500), and the security headers.
import { NextResponse, type NextRequest } from "next/server";
import { refuseUnreadableForm } from "@/lib/http/page-form-guard";
import { checkPublicRateLimit, responseSecurityHeaders } from "@/lib/http/public-guards";

// The configuration launch (/configure) is limited by its route wrapper, withSignedRequest.
const PUBLIC_PAGES = /^\/(connect(\/|$)|signup$)/;

export async function proxy(request: NextRequest): Promise<NextResponse> {
  const incoming = request.headers.get("x-request-id");
  const requestId = incoming && /^[\w-]{8,64}$/.test(incoming) ? incoming : crypto.randomUUID();
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-request-id", requestId);
  const { pathname } = request.nextUrl;
  // Which credential acts on a configuration page (lib/configuration/credentials.ts): only from its URL.
  requestHeaders.delete("x-configure-as");
  if (pathname.startsWith("/configure/") && request.nextUrl.searchParams.get("as") === "partner")
    requestHeaders.set("x-configure-as", "partner");
  // Per client IP only: slugs are public, so `org_slug` is no proof of who is asking (issue 12 item 2).
  const limited =
    (PUBLIC_PAGES.test(pathname) ? checkPublicRateLimit(request.headers, undefined) : undefined) ??
    (await refuseUnreadableForm(request));
  const response = limited
    ? new NextResponse(limited.body, limited)
    : NextResponse.next({ request: { headers: requestHeaders } });
  for (const [name, value] of Object.entries(responseSecurityHeaders())) response.headers.set(name, value);
  response.headers.set("x-request-id", requestId);
  return response;
}

export const config = { matcher: ["/((?!_next/static|_next/image|favicon.ico|api/).*)"] };
