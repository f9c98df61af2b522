import type { IncomingMessage } from "node:http";
import { findOrganization, type EmulatorContext } from "../context";
import type { Organization } from "../data/dataset";
import { nestError } from "../http/errors";
import { isAccessGranted, type ApiAccess } from "../oauth/scopes";
import type { AccessToken } from "../oauth/token-store";

export type Authorized = { token: AccessToken; organization: Organization };

/**
 * The guard in front of every API v1/v2 route: a live Bearer token (401), bound to the organisation
 * in the path (403), carrying the scope the route needs (403), within the organisation's read or
 * write budget per minute (429 with Retry-After).
 */
export function authorizeApiRequest({
  req,
  context,
  slug,
  access,
}: {
  req: IncomingMessage;
  context: EmulatorContext;
  slug: string;
  access: ApiAccess;
}): Authorized {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? "");
  const token = match?.[1] ? context.state.tokens.findAccessToken(match[1]) : undefined;
  if (!token) throw nestError(401, "Unauthorized", { "www-authenticate": 'Bearer error="invalid_token"' });
  if (token.orgSlug !== slug) throw nestError(403, `The access token is not valid for organization ${slug}`);
  const organization = findOrganization(context, slug);
  if (!organization) throw nestError(404, `Organization ${slug} not found`);
  if (!isAccessGranted({ granted: token.scopes, access }))
    throw nestError(403, `Insufficient scope: requires ${access.scope} or officernd.api.${access.permission}`);
  const limiter = access.permission === "read" ? context.state.readLimiter : context.state.writeLimiter;
  const decision = limiter.take(slug);
  if (!decision.allowed) throw nestError(429, "ThrottlerException: Too Many Requests", { "retry-after": String(decision.retryAfterSeconds) });
  return { token, organization };
}
