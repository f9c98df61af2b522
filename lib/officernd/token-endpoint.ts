import "server-only";
import { env } from "@/lib/env";
import { tokenResponseSchema, type TokenResponse } from "@/lib/officernd/schemas";
import { createTokenBudget, type TokenPriority } from "@/lib/officernd/token-budget";
import { createTransport, type TransportDeps } from "@/lib/officernd/transport";

// OfficeRnD's identity server: `POST {OFFICERND_IDENTITY_URL}/oauth/token`, form-encoded, client
// credentials in the body (spec §1). Every request takes a slot of the shared token budget first.

export type TokenSet = {
  accessToken: string;
  refreshToken: string | null;
  scope: string | null;
  expiresAt: Date;
};

/** A code exchange waits this long for a slot before the popup says "OfficeRnD is busy". */
export const CODE_EXCHANGE_MAX_WAIT_MS = 20_000;
/** A due refresh waits this long (a sync can wait; a healthcheck answers 503 meanwhile). */
export const REFRESH_MAX_WAIT_MS = 20_000;
/** Token requests: one retry after a 429/503, never a wait past this (a code lives a minute). */
export const TOKEN_RETRY_POLICY = {
  maxAttempts: 2,
  maxRetryAfterMs: 15_000,
  giveUpBeyondMaxRetryAfter: true,
} as const;

/** The Connect URL registered with OfficeRnD; the authorization-code grant must repeat it. */
export function connectUrl(): string {
  return `${env().APP_URL}/connect`;
}

export function tokenSetFromResponse(response: TokenResponse, now: Date): TokenSet {
  return {
    accessToken: response.access_token,
    refreshToken: response.refresh_token ?? null,
    scope: response.scope ?? null,
    expiresAt: new Date(now.getTime() + response.expires_in * 1000),
  };
}

/** Exchanges the Connect popup's one-minute authorization code for tokens (spec §2 step 1). */
export function exchangeAuthorizationCode({
  code,
  deps,
}: {
  code: string;
  deps?: TransportDeps;
}): Promise<TokenSet> {
  const config = env();
  return requestToken(
    {
      grant_type: "authorization_code",
      code,
      // OfficeRnD's sample sends redirect_uri, its partner guide names the field redirect_url: send both.
      redirect_uri: connectUrl(),
      redirect_url: connectUrl(),
      scope: config.OFFICERND_SCOPES,
    },
    { priority: "code", maxWaitMs: CODE_EXCHANGE_MAX_WAIT_MS, deps },
  );
}

/** Uses a refresh token; OfficeRnD may rotate it, so the caller must store the one returned (if any). */
export function refreshAccessToken({
  refreshToken,
  scope,
  priority = "urgent",
  deps,
}: {
  refreshToken: string;
  scope?: string | null;
  /** "early": only when the budget has a slot to spare right now (throws "busy" otherwise). */
  priority?: Extract<TokenPriority, "urgent" | "early">;
  deps?: TransportDeps;
}): Promise<TokenSet> {
  // OfficeRnD reportedly refuses token requests without a scope (spec §1): repeat the granted one.
  return requestToken(
    { grant_type: "refresh_token", refresh_token: refreshToken, scope: scope || env().OFFICERND_SCOPES },
    { priority, maxWaitMs: REFRESH_MAX_WAIT_MS, deps },
  );
}

async function requestToken(
  fields: Record<string, string>,
  { priority, maxWaitMs, deps = {} }: { priority: TokenPriority; maxWaitMs: number; deps?: TransportDeps },
): Promise<TokenSet> {
  const config = env();
  const budget =
    deps.budget === undefined
      ? createTokenBudget({
          clientId: config.OFFICERND_CLIENT_ID,
          perMinute: config.OFFICERND_TOKEN_REQUESTS_PER_MINUTE,
          priority,
          maxWaitMs,
        })
      : deps.budget;
  // A code is single use and a refresh token may rotate: a request that may have reached OfficeRnD is
  // never repeated (POST is not idempotent); 429 and 503 were refused before anything happened.
  const transport = createTransport(null, {
    ...deps,
    policy: { ...TOKEN_RETRY_POLICY, ...deps.policy },
    budget,
  });
  const form = new URLSearchParams({
    client_id: config.OFFICERND_CLIENT_ID,
    client_secret: config.OFFICERND_CLIENT_SECRET,
    ...fields,
  });
  const { data } = await transport.sendParsed(
    { method: "POST", url: `${config.OFFICERND_IDENTITY_URL}/oauth/token`, form },
    tokenResponseSchema,
  );
  return tokenSetFromResponse(data, new Date());
}
