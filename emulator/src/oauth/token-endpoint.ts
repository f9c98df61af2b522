import { timingSafeEqual } from "node:crypto";
import { profile, type EmulatorContext } from "../context";
import { oauthError } from "../http/errors";
import { mediaType, readBody } from "../http/request";
import { sendJson } from "../http/responses";
import type { RouteRequest } from "../http/router";
import { DEMO_APP } from "./app-registry";
import { checkRequestedScopes } from "./scopes";
import { tokenResponse, type Grant } from "./token-store";

// POST /oauth/token – OfficeRnD's identity server (spec §1): form-encoded only, client credentials in
// the body, grants authorization_code / refresh_token (rotating) / client_credentials, RFC 6749 errors.

const FIELDS = [
  "grant_type",
  "client_id",
  "client_secret",
  "scope",
  "code",
  "redirect_uri",
  "redirect_url",
  "refresh_token",
];

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function readForm(text: string): Map<string, string> {
  const form = new URLSearchParams(text);
  const fields = new Map<string, string>();
  for (const name of FIELDS) {
    const values = form.getAll(name);
    // RFC 6749 §3.2: request parameters must not be included more than once.
    if (values.length > 1) throw oauthError(400, "invalid_request", `${name} is repeated`);
    if (values[0] !== undefined && values[0] !== "") fields.set(name, values[0]);
  }
  return fields;
}

function required(fields: Map<string, string>, name: string): string {
  const value = fields.get(name);
  if (value === undefined) throw oauthError(400, "invalid_request", `${name} is required`);
  return value;
}

function requestedScopes(context: EmulatorContext, requested: string | undefined): string[] {
  const check = checkRequestedScopes({
    requested,
    appPermissions: context.config.appPermissions,
    issuesFlexScopes: profile(context).issuesFlexScopes,
  });
  if (!check.ok) throw oauthError(400, "invalid_scope", check.description);
  return check.scopes;
}

function grantFromCode(context: EmulatorContext, fields: Map<string, string>, clientId: string): Grant {
  const code = required(fields, "code");
  // OfficeRnD's guide names the field redirect_url, its sample sends redirect_uri: accept either.
  const redirectUri = fields.get("redirect_uri") ?? fields.get("redirect_url");
  if (redirectUri === undefined) throw oauthError(400, "invalid_request", "redirect_uri is required");
  const scopes = requestedScopes(context, fields.get("scope"));
  const redeemed = context.state.tokens.redeemCode({
    code,
    clientId,
    redirectUri: redirectUri.replace(/\/+$/, ""),
  });
  if (!redeemed.ok) throw oauthError(400, "invalid_grant", redeemed.reason);
  const integration = context.state.integrations.get(redeemed.code.integrationId);
  if (!integration) throw oauthError(400, "invalid_grant", "the integration for this code was removed");
  integration.tokenExchangedAt = context.clock.nowIso();
  return { clientId, orgSlug: redeemed.code.orgSlug, integrationId: integration._id, scopes };
}

function grantFromRefreshToken(
  context: EmulatorContext,
  fields: Map<string, string>,
  clientId: string,
): Grant {
  const token = required(fields, "refresh_token");
  // Checked before rotation so a bad scope does not burn the refresh token.
  const scope = fields.get("scope");
  const scopes = scope === undefined ? undefined : requestedScopes(context, scope);
  const grant = context.state.tokens.consumeRefreshToken({ token, clientId });
  if (!grant) throw oauthError(400, "invalid_grant", "refresh token is invalid, expired or already used");
  if (scopes?.some((item) => !grant.scopes.includes(item)))
    throw oauthError(400, "invalid_scope", "scope exceeds the scope originally granted");
  return { ...grant, scopes: scopes ?? grant.scopes };
}

export async function handleTokenRequest({
  req,
  res,
  context,
}: RouteRequest<EmulatorContext>): Promise<void> {
  if (mediaType(req) !== "application/x-www-form-urlencoded") {
    throw oauthError(400, "invalid_request", "the request body must be application/x-www-form-urlencoded");
  }
  const fields = readForm(await readBody(req));
  const clientId = fields.get("client_id");
  const limit = context.state.tokenLimiter.take(clientId ?? `anonymous:${req.socket.remoteAddress ?? ""}`);
  if (!limit.allowed) {
    throw oauthError(
      429,
      "too_many_requests",
      `token requests are limited to ${context.config.tokenRateLimit} per minute`,
      {
        "retry-after": String(limit.retryAfterSeconds),
      },
    );
  }
  const grantType = required(fields, "grant_type");
  if (!["authorization_code", "refresh_token", "client_credentials"].includes(grantType)) {
    throw oauthError(400, "unsupported_grant_type", `grant_type ${grantType} is not supported`);
  }
  if (
    clientId !== DEMO_APP.clientId ||
    !sameSecret(fields.get("client_secret") ?? "", DEMO_APP.clientSecret)
  ) {
    throw oauthError(401, "invalid_client", "client authentication failed");
  }
  const isClientCredentials = grantType === "client_credentials";
  const grant =
    grantType === "authorization_code"
      ? grantFromCode(context, fields, clientId)
      : grantType === "refresh_token"
        ? grantFromRefreshToken(context, fields, clientId)
        : {
            clientId,
            orgSlug: DEMO_APP.homeOrgSlug,
            integrationId: null,
            scopes: requestedScopes(context, fields.get("scope")),
          };
  const { config, state } = context;
  const issued = state.tokens.issueTokens({
    grant,
    lifetimeSeconds: config.tokenLifetime,
    refreshLifetimeSeconds: isClientCredentials ? null : config.refreshTokenLifetime,
  });
  sendJson(res, 200, tokenResponse({ grant, issued, lifetimeSeconds: config.tokenLifetime }), {
    "cache-control": "no-store",
    pragma: "no-cache",
  });
}
