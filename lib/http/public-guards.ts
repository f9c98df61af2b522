import "server-only";
import { clientIp } from "@/lib/auth/throttle";
import { env } from "@/lib/env";
import { FixedWindowLimiter } from "@/lib/http/fixed-window-limiter";
import { securityHeaders } from "@/lib/http/security-headers";

// What every response carries and what every public endpoint is limited by, computed once per process.
// Pages get them from proxy.ts; API routes from their wrapper (lib/http/respond.ts), because running
// Next's proxy for every API call halves the throughput of the cheap ones (bench:http).

type Guards = { headers: Record<string, string>; perIp: FixedWindowLimiter; perTenant: FixedWindowLimiter };
let guards: Guards | undefined;

function appGuards(): Guards {
  const config = env();
  guards ??= {
    headers: securityHeaders({
      appUrl: config.APP_URL,
      officerndAppUrl: config.OFFICERND_APP_URL,
      extraFrameOrigins: config.OFFICERND_FRAME_ORIGINS,
      isProduction: config.NODE_ENV === "production",
    }),
    perIp: new FixedWindowLimiter({ limit: config.RATE_LIMIT_PER_IP_PER_MINUTE, windowMs: 60_000 }),
    perTenant: new FixedWindowLimiter({ limit: config.RATE_LIMIT_PER_ORG_PER_MINUTE, windowMs: 60_000 }),
  };
  return guards;
}

export function responseSecurityHeaders(): Record<string, string> {
  return appGuards().headers;
}

/**
 * Counts a public request against its client IP and its tenant (organisation slug, or installation for
 * webhooks) and answers 429 with Retry-After once either is over its per-minute limit. In-process per
 * app instance: N instances admit at most N × the configured limits.
 */
export function checkPublicRateLimit(headers: Headers, tenant: string | undefined): Response | undefined {
  const { perIp, perTenant } = appGuards();
  const decisions = [perIp.hit(clientIp(headers) ?? "unknown"), ...(tenant ? [perTenant.hit(tenant)] : [])];
  const refused = decisions.find((decision) => !decision.isAllowed);
  if (!refused) return undefined;
  return Response.json(
    { error: "rate_limited", message: "Too many requests. Please retry after the time in Retry-After." },
    { status: 429, headers: { "Retry-After": String(refused.retryAfterSeconds), "Cache-Control": "no-store" } },
  );
}
