import "server-only";
import { clientIp } from "@/lib/auth/throttle";
import { env } from "@/lib/env";
import { FixedWindowLimiter, type LimitDecision } from "@/lib/net/fixed-window-limiter";
import { securityHeaders } from "@/lib/http/security-headers";

// What every response carries and what every public endpoint is limited by, computed once per process.
// Pages get them from proxy.ts; API routes from their wrapper (lib/http/respond.ts), because running
// Next's proxy for every API call halves the throughput of the cheap ones (bench:http).
//
// Organisation slugs are public, so an organisation's budget is charged only for requests that
// proved they come from OfficeRnD (a verified signature): otherwise anyone could send
// `?slug=victim&signature=junk` until OfficeRnD's real calls for that organisation got 429 (issue 12
// item 2). Requests that fail verification are counted per client IP instead.

type Guards = {
  headers: Record<string, string>;
  perIp: FixedWindowLimiter;
  perTenant: FixedWindowLimiter;
  failuresPerIp: FixedWindowLimiter;
};
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
    failuresPerIp: new FixedWindowLimiter({
      limit: config.RATE_LIMIT_FAILED_VERIFICATIONS_PER_IP_PER_MINUTE,
      windowMs: 60_000,
    }),
  };
  return guards;
}

/** Tests change the limits through the environment; the next request builds the guards again. */
export function resetPublicGuardsForTests(): void {
  guards = undefined;
}

export function responseSecurityHeaders(): Record<string, string> {
  return appGuards().headers;
}

/**
 * Counts a public request against its client IP and, when given, its tenant, and answers 429 with
 * Retry-After once either is over its per-minute limit. Pass a tenant only when the request already
 * proved it belongs to it (the webhook route's installation id is in its path and checked by the
 * signature right after; signed GETs charge theirs with {@link chargeVerifiedTenant}). In-process per
 * app instance: N instances admit at most N × the configured limits.
 */
export function checkPublicRateLimit(headers: Headers, tenant: string | undefined): Response | undefined {
  const { perIp, perTenant } = appGuards();
  const decisions = [perIp.hit(ipKey(headers)), ...(tenant ? [perTenant.hit(tenant)] : [])];
  return refusal(decisions);
}

/** After a signature verified: charges the organisation's budget. Seconds to wait when it is used up. */
export function chargeVerifiedTenant(tenant: string): number | undefined {
  return waitSeconds(appGuards().perTenant.hit(tenant));
}

/**
 * Before verifying anything: seconds to wait while this client IP has used up its failed verifications
 * for the minute, so a flood of forged requests costs no database read or HMAC once over the limit.
 */
export function failedVerificationWait(headers: Headers): number | undefined {
  return waitSeconds(appGuards().failuresPerIp.peek(ipKey(headers)));
}

/** Counts one failed verification (bad or unknown signature, refused Connect code) for the client IP. */
export function recordFailedVerification(headers: Headers): void {
  appGuards().failuresPerIp.hit(ipKey(headers));
}

/** The 429 the public endpoints answer, for callers that answer with a Response. */
export function rateLimitedResponse(retryAfterSeconds: number): Response {
  return Response.json(
    { error: "rate_limited", message: RATE_LIMITED_MESSAGE },
    { status: 429, headers: { "Retry-After": String(retryAfterSeconds), "Cache-Control": "no-store" } },
  );
}

export const RATE_LIMITED_MESSAGE = "Too many requests. Please retry after the time in Retry-After.";

function waitSeconds(decision: LimitDecision): number | undefined {
  return decision.isAllowed ? undefined : decision.retryAfterSeconds;
}

function ipKey(headers: Headers): string {
  return clientIp(headers) ?? "unknown";
}

function refusal(decisions: LimitDecision[]): Response | undefined {
  const refused = decisions.find((decision) => !decision.isAllowed);
  return refused ? rateLimitedResponse(refused.retryAfterSeconds) : undefined;
}
