import { randomBytes } from "node:crypto";

/** Who a token speaks for: one client, one organisation, and (for the Connect flow) one integration. */
export type Grant = { clientId: string; orgSlug: string; integrationId: string | null; scopes: string[] };

export type AccessToken = Grant & { token: string; expiresAtMs: number };

type RefreshToken = Grant & { expiresAtMs: number };

export type AuthorizationCode = {
  clientId: string;
  orgSlug: string;
  integrationId: string;
  redirectUri: string;
  expiresAtMs: number;
  used: boolean;
};

/** The token endpoint's success body (spec §1); client_credentials grants carry no refresh token. */
export function tokenResponse({
  grant,
  issued,
  lifetimeSeconds,
}: {
  grant: Grant;
  issued: { accessToken: string; refreshToken: string | null };
  lifetimeSeconds: number;
}) {
  return {
    access_token: issued.accessToken,
    token_type: "Bearer",
    expires_in: lifetimeSeconds,
    scope: grant.scopes.join(" "),
    ...(issued.refreshToken ? { refresh_token: issued.refreshToken } : {}),
  };
}

export const CODE_LIFETIME_MS = 60_000;
const PRUNE_THRESHOLD = 10_000;

function opaqueToken(bytes: number): string {
  return randomBytes(bytes).toString("base64url");
}

/** Authorization codes, access tokens and rotating refresh tokens, all in memory. */
export class TokenStore {
  private readonly codes = new Map<string, AuthorizationCode>();
  private readonly accessTokens = new Map<string, AccessToken>();
  private readonly refreshTokens = new Map<string, RefreshToken>();

  constructor(private readonly nowMs: () => number) {}

  issueCode(input: Omit<AuthorizationCode, "expiresAtMs" | "used">): { code: string; expiresAtMs: number } {
    this.prune();
    const code = opaqueToken(24);
    const expiresAtMs = this.nowMs() + CODE_LIFETIME_MS;
    this.codes.set(code, { ...input, expiresAtMs, used: false });
    return { code, expiresAtMs };
  }

  /**
   * Redeems a code exactly once, for the client and redirect URI it was issued to. A mismatch is
   * refused without burning the code; a used or expired code stays unusable.
   */
  redeemCode({
    code,
    clientId,
    redirectUri,
  }: {
    code: string;
    clientId: string;
    redirectUri: string;
  }): { ok: true; code: AuthorizationCode } | { ok: false; reason: string } {
    const found = this.codes.get(code);
    if (!found || found.clientId !== clientId) return { ok: false, reason: "authorization code is invalid" };
    if (found.used) return { ok: false, reason: "authorization code has already been used" };
    if (found.expiresAtMs <= this.nowMs()) return { ok: false, reason: "authorization code has expired" };
    if (found.redirectUri !== redirectUri)
      return { ok: false, reason: "redirect_uri does not match the registered Connect URL" };
    found.used = true;
    return { ok: true, code: found };
  }

  issueTokens({
    grant,
    lifetimeSeconds,
    refreshLifetimeSeconds,
  }: {
    grant: Grant;
    lifetimeSeconds: number;
    refreshLifetimeSeconds: number | null;
  }) {
    this.prune();
    const accessToken = opaqueToken(32);
    this.accessTokens.set(accessToken, {
      ...grant,
      token: accessToken,
      expiresAtMs: this.nowMs() + lifetimeSeconds * 1000,
    });
    if (refreshLifetimeSeconds === null) return { accessToken, refreshToken: null };
    const refreshToken = opaqueToken(32);
    this.refreshTokens.set(refreshToken, {
      ...grant,
      expiresAtMs: this.nowMs() + refreshLifetimeSeconds * 1000,
    });
    return { accessToken, refreshToken };
  }

  /** Takes a client's refresh token out of circulation (rotation) and returns its grant when it was valid. */
  consumeRefreshToken({ token, clientId }: { token: string; clientId: string }): Grant | undefined {
    const found = this.refreshTokens.get(token);
    if (!found || found.clientId !== clientId) return undefined;
    this.refreshTokens.delete(token);
    if (found.expiresAtMs <= this.nowMs()) return undefined;
    const { expiresAtMs: _expiresAtMs, ...grant } = found;
    return grant;
  }

  findAccessToken(token: string): AccessToken | undefined {
    const found = this.accessTokens.get(token);
    return found && found.expiresAtMs > this.nowMs() ? found : undefined;
  }

  private prune(): void {
    const now = this.nowMs();
    for (const store of [this.codes, this.accessTokens, this.refreshTokens] as Map<
      string,
      { expiresAtMs: number }
    >[]) {
      if (store.size < PRUNE_THRESHOLD) continue;
      for (const [key, value] of store) if (value.expiresAtMs <= now) store.delete(key);
    }
  }
}
