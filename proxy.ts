// Runs before every request: a request id for the logs, rate limits on the public endpoints, and the
// security headers on every response.
import { NextResponse, type NextRequest } from "next/server";
import { env } from "@/lib/env";
import { FixedWindowLimiter } from "@/lib/http/fixed-window-limiter";
import { securityHeaders } from "@/lib/http/security-headers";

/** Endpoints anyone on the internet can call (OfficeRnD's calls, the Connect popup, sign-in). */
const PUBLIC_PATHS = /^\/(api\/officernd\/|api\/webhooks\/|connect(\/|$)|configure$|api\/auth\/callback\/|signup$)/;

type AppGuards = { headers: Record<string, string>; perIp: FixedWindowLimiter; perOrg: FixedWindowLimiter };
let guards: AppGuards | undefined;
function appGuards(): AppGuards {
  const config = env();
  guards ??= {
    headers: securityHeaders({
      appUrl: config.APP_URL,
      officerndAppUrl: config.OFFICERND_APP_URL,
      extraFrameOrigins: config.OFFICERND_FRAME_ORIGINS,
      isProduction: config.NODE_ENV === "production",
    }),
    perIp: new FixedWindowLimiter({ limit: config.RATE_LIMIT_PER_IP_PER_MINUTE, windowMs: 60_000 }),
    perOrg: new FixedWindowLimiter({ limit: config.RATE_LIMIT_PER_ORG_PER_MINUTE, windowMs: 60_000 }),
  };
  return guards;
}

function clientIp(request: NextRequest): string {
  return request.headers.get("x-forwarded-for")?.split(",")[0]?.trim() || request.headers.get("x-real-ip") || "unknown";
}

/** The organisation (or, for webhooks, the installation) a public request is about. */
function tenantKey(request: NextRequest): string | undefined {
  const { pathname, searchParams } = request.nextUrl;
  if (pathname.startsWith("/api/webhooks/")) return pathname.split("/")[4];
  return searchParams.get("slug") || searchParams.get("org_slug") || undefined;
}

function rateLimited(request: NextRequest, app: AppGuards): NextResponse | undefined {
  if (!PUBLIC_PATHS.test(request.nextUrl.pathname)) return undefined;
  const tenant = tenantKey(request);
  const decisions = [app.perIp.hit(clientIp(request)), ...(tenant ? [app.perOrg.hit(tenant)] : [])];
  const refused = decisions.find((decision) => !decision.isAllowed);
  if (!refused) return undefined;
  return NextResponse.json(
    { error: "rate_limited", message: "Too many requests. Please retry after the time in Retry-After." },
    { status: 429, headers: { "Retry-After": String(refused.retryAfterSeconds), "Cache-Control": "no-store" } },
  );
}

export function proxy(request: NextRequest): NextResponse {
  const app = appGuards();
  const incoming = request.headers.get("x-request-id");
  const requestId = incoming && /^[\w-]{8,64}$/.test(incoming) ? incoming : crypto.randomUUID();
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-request-id", requestId);
  const response = rateLimited(request, app) ?? NextResponse.next({ request: { headers: requestHeaders } });
  for (const [name, value] of Object.entries(app.headers)) response.headers.set(name, value);
  response.headers.set("x-request-id", requestId);
  return response;
}

export const config = { matcher: ["/((?!_next/static|_next/image|favicon.ico).*)"] };
