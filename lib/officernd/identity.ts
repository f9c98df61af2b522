import "server-only";
import { AppError, type ErrorCode } from "@/lib/errors";
import { env } from "@/lib/env";
import { oauthErrorSchema, tokenResponseSchema, type TokenResponse } from "@/lib/officernd/schemas";

// OfficeRnD's identity server: `POST {OFFICERND_IDENTITY_URL}/oauth/token`, form-encoded, client
// credentials in the body (spec §1). It allows about 5 requests a minute per client, so callers must
// only ask for a token they need (lib/officernd/tokens.ts coalesces refreshes).

export type TokenSet = { accessToken: string; refreshToken: string | null; scope: string | null; expiresAt: Date };

/** Why a token request failed, in the terms the Connect flow and token refresh act on. */
export type IdentityFailure = "invalid_grant" | "rejected" | "rate_limited" | "unavailable" | "timeout" | "invalid_response";

const FAILURE_CODES: Record<IdentityFailure, ErrorCode> = {
  invalid_grant: "reconnect_required",
  rejected: "upstream_error",
  rate_limited: "unavailable",
  unavailable: "unavailable",
  timeout: "unavailable",
  invalid_response: "upstream_error",
};

export class IdentityError extends AppError {
  readonly reason: IdentityFailure;
  /** OfficeRnD's RFC 6749 `error` value when it sent one (never contains the code or a token). */
  readonly oauthError: string | undefined;

  constructor(reason: IdentityFailure, message: string, options: { oauthError?: string; cause?: unknown } = {}) {
    super(FAILURE_CODES[reason], message, { cause: options.cause });
    this.name = "IdentityError";
    this.reason = reason;
    this.oauthError = options.oauthError;
  }
}

/** The Connect URL registered with OfficeRnD; the authorization-code grant must repeat it. */
export function connectUrl(): string {
  return `${env().APP_URL}/connect`;
}

/** Pure: turns a token response into what we store, with the expiry as an absolute time. */
export function tokenSetFromResponse(response: TokenResponse, now: Date): TokenSet {
  return {
    accessToken: response.access_token,
    refreshToken: response.refresh_token ?? null,
    scope: response.scope ?? null,
    expiresAt: new Date(now.getTime() + response.expires_in * 1000),
  };
}

/** Exchanges the Connect popup's one-minute authorization code for tokens (spec §2 step 1). */
export function exchangeAuthorizationCode({ code }: { code: string }): Promise<TokenSet> {
  const config = env();
  return requestToken({
    grant_type: "authorization_code",
    code,
    // OfficeRnD's sample sends redirect_uri, its partner guide names the field redirect_url: send both.
    redirect_uri: connectUrl(),
    redirect_url: connectUrl(),
    scope: config.OFFICERND_SCOPES,
  });
}

/** Uses a refresh token; OfficeRnD may rotate it, so the caller must store the one returned (if any). */
export function refreshAccessToken({ refreshToken, scope }: { refreshToken: string; scope?: string | null }): Promise<TokenSet> {
  // OfficeRnD reportedly refuses token requests without a scope (spec §1): repeat the granted one.
  return requestToken({ grant_type: "refresh_token", refresh_token: refreshToken, scope: scope || env().OFFICERND_SCOPES });
}

async function requestToken(fields: Record<string, string>): Promise<TokenSet> {
  const config = env();
  const body = new URLSearchParams({ client_id: config.OFFICERND_CLIENT_ID, client_secret: config.OFFICERND_CLIENT_SECRET, ...fields });
  let response: Response;
  try {
    response = await fetch(`${config.OFFICERND_IDENTITY_URL}/oauth/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
      body,
      signal: AbortSignal.timeout(config.OFFICERND_HTTP_TIMEOUT_MS),
      cache: "no-store",
    });
  } catch (error) {
    const isTimeout = error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError");
    throw new IdentityError(
      isTimeout ? "timeout" : "unavailable",
      isTimeout ? "OfficeRnD's sign-in service did not answer in time." : "OfficeRnD's sign-in service could not be reached.",
      {
        cause: error,
      },
    );
  }
  const json = await readJson(response);
  if (response.ok) {
    const parsed = tokenResponseSchema.safeParse(json);
    if (!parsed.success) throw new IdentityError("invalid_response", "OfficeRnD's sign-in service sent a token response we could not read.");
    return tokenSetFromResponse(parsed.data, new Date());
  }
  throw failureFor(response.status, json);
}

function failureFor(status: number, json: unknown): IdentityError {
  const oauthError = oauthErrorSchema.safeParse(json).data?.error;
  if (oauthError === "invalid_grant")
    return new IdentityError("invalid_grant", "OfficeRnD did not accept the grant (invalid, expired or already used).", { oauthError });
  if (status === 429) return new IdentityError("rate_limited", "OfficeRnD's sign-in service is rate limiting token requests.", { oauthError });
  if (status >= 500) return new IdentityError("unavailable", `OfficeRnD's sign-in service failed (HTTP ${status}).`, { oauthError });
  return new IdentityError("rejected", `OfficeRnD's sign-in service refused the request (HTTP ${status}${oauthError ? `, ${oauthError}` : ""}).`, {
    oauthError,
  });
}

async function readJson(response: Response): Promise<unknown> {
  try {
    return (await response.json()) as unknown;
  } catch {
    return undefined;
  }
}
