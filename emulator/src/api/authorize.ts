import type { IncomingMessage, ServerResponse } from "node:http";
import { findOrganization, profile, type EmulatorContext } from "../context";
import type { Organization } from "../data/dataset";
import { nestError } from "../http/errors";
import { ACCESS, isAccessGranted, type ApiAccess } from "../oauth/scopes";
import type { AccessToken } from "../oauth/token-store";

export type Authorized = { token: AccessToken; organization: Organization };

/** Whether the request arrived on the second listener (the region host of the `region` profile). */
export function isRegionRequest(context: EmulatorContext, req: IncomingMessage): boolean {
  return req.socket.localPort === context.region.port;
}

/**
 * The guard in front of every API v1/v2 route: a live Bearer token (401), bound to the organisation
 * in the path (403), carrying the scope the route needs (403; under `v1-only` API v2 refuses the
 * legacy scopes), asked at the organisation's region (`region` profile: the main host answers only
 * the organisation endpoint, 404 otherwise), within the organisation's read or write budget per minute
 * (429 with Retry-After). Every answer past the token check carries X-RateLimit-* headers (NestJS's
 * throttler names; the real ones are unconfirmed).
 */
export function authorizeApiRequest({
  req,
  res,
  context,
  slug,
  access,
  version = "v1",
}: {
  req: IncomingMessage;
  res?: ServerResponse;
  context: EmulatorContext;
  slug: string;
  access: ApiAccess;
  version?: "v1" | "v2";
}): Authorized {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? "");
  const token = match?.[1] ? context.state.tokens.findAccessToken(match[1]) : undefined;
  if (!token) throw nestError(401, "Unauthorized", { "www-authenticate": 'Bearer error="invalid_token"' });
  if (token.orgSlug !== slug) throw nestError(403, `The access token is not valid for organization ${slug}`);
  const organization = findOrganization(context, slug);
  if (!organization) throw nestError(404, `Organization ${slug} not found`);
  const behaviour = profile(context);
  if (behaviour.separateRegion && access !== ACCESS.organization && !isRegionRequest(context, req))
    throw nestError(404, `Organization ${slug} not found`);
  const acceptsLegacy = version === "v1" || behaviour.v2AcceptsLegacyScopes;
  if (!isAccessGranted({ granted: token.scopes, access, acceptsLegacy }))
    throw nestError(
      403,
      acceptsLegacy
        ? `Insufficient scope: requires ${access.scope} or officernd.api.${access.permission}`
        : `Insufficient scope: requires ${access.scope}`,
    );
  const limiter = access.permission === "read" ? context.state.readLimiter : context.state.writeLimiter;
  const decision = limiter.take(slug);
  const rateHeaders = {
    "x-ratelimit-limit": String(decision.limit),
    "x-ratelimit-remaining": String(decision.remaining),
    "x-ratelimit-reset": String(decision.resetSeconds),
  };
  if (!decision.allowed)
    throw nestError(429, "ThrottlerException: Too Many Requests", {
      ...rateHeaders,
      "retry-after": String(decision.retryAfterSeconds),
    });
  if (res && decision.limit > 0)
    for (const [name, value] of Object.entries(rateHeaders)) res.setHeader(name, value);
  return { token, organization };
}
