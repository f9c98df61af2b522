import "server-only";
import { recordAudit } from "@/lib/audit";
import { decryptSecret, encryptSecret } from "@/lib/crypto/secrets";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { log } from "@/lib/log";
import { metrics } from "@/lib/metrics";
import { IdentityError, refreshAccessToken } from "@/lib/officernd/identity";

// Access tokens per installation. OfficeRnD's token endpoint allows ~5 requests a minute (spec §1),
// so a token is only requested when the stored one has ≤ 60 s left (or was rejected), and at most one
// refresh runs per installation: concurrent callers in this process share one promise, and callers in
// other processes queue on a Postgres advisory lock and re-read the row once they hold it.

/** Refresh this long before expiry, like OfficeRnD's own sample (spec §5). */
export const REFRESH_MARGIN_MS = 60_000;

/** Pure: is a token expiring at `expiresAt` still good to send at `now`? */
export function isTokenFresh({ expiresAt, now, marginMs = REFRESH_MARGIN_MS }: { expiresAt: Date | null; now: Date; marginMs?: number }): boolean {
  return expiresAt !== null && expiresAt.getTime() - now.getTime() > marginMs;
}

export type GetAccessTokenOptions = {
  /** Refresh even though the stored token looks valid (after a 401 from the API). */
  forceRefresh?: boolean;
  /** With forceRefresh: the token the API rejected; if the stored one differs, it is returned as is. */
  rejectedToken?: string;
};

type Client = Pick<typeof db, "installation" | "auditEvent" | "$executeRaw">;

const TOKEN_COLUMNS = { status: true, accountId: true, accessTokenEnc: true, refreshTokenEnc: true, tokenScope: true, tokenExpiresAt: true } as const;

const inFlight = new Map<string, Promise<string>>();

/**
 * A Bearer token for the installation's OfficeRnD organisation. Throws AppError `reconnect_required`
 * when OfficeRnD refused the refresh token (the installation is marked so), `unavailable` on network
 * errors, timeouts, 429 and 5xx, `not_connected` for a removed installation, `not_found` for none.
 */
export async function getAccessToken(installationId: string, options: GetAccessTokenOptions = {}): Promise<string> {
  const row = await readTokenRow(db, installationId);
  const current = row.accessTokenEnc ? decryptSecret(row.accessTokenEnc, `installation:${installationId}:access`) : null;
  if (!options.forceRefresh && current && isTokenFresh({ expiresAt: row.tokenExpiresAt, now: new Date() })) return current;
  const staleToken = options.forceRefresh ? (options.rejectedToken ?? current) : null;
  return refreshCoalesced(installationId, staleToken);
}

/** Joins a refresh already running in this process; starts one only if none gave a usable token. */
async function refreshCoalesced(installationId: string, staleToken: string | null): Promise<string> {
  for (let running = inFlight.get(installationId); running; running = inFlight.get(installationId)) {
    const token = await running;
    if (staleToken === null || token !== staleToken) return token;
  }
  const promise = refreshUnderLock(installationId, staleToken).finally(() => {
    if (inFlight.get(installationId) === promise) inFlight.delete(installationId);
  });
  inFlight.set(installationId, promise);
  return promise;
}

type Outcome = { kind: "token"; token: string; isRefreshed: boolean } | { kind: "reconnect_required" } | { kind: "failed"; error: unknown };

async function refreshUnderLock(installationId: string, staleToken: string | null): Promise<string> {
  const timeoutMs = env().OFFICERND_HTTP_TIMEOUT_MS;
  const outcome = await db.$transaction(
    async (tx): Promise<Outcome> => {
      // Serialises refreshes of one installation across every app and worker process.
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`officernd-token:${installationId}`}))`;
      const row = await readTokenRow(tx, installationId);
      const current = row.accessTokenEnc ? decryptSecret(row.accessTokenEnc, `installation:${installationId}:access`) : null;
      const isReplaced = staleToken === null || current !== staleToken;
      if (current && isReplaced && isTokenFresh({ expiresAt: row.tokenExpiresAt, now: new Date() }))
        return { kind: "token", token: current, isRefreshed: false };
      if (!row.refreshTokenEnc) return markReconnectRequired(tx, installationId, row.accountId, "no refresh token stored");
      const refreshToken = decryptSecret(row.refreshTokenEnc, `installation:${installationId}:refresh`);
      let tokens;
      try {
        tokens = await refreshAccessToken({ refreshToken, scope: row.tokenScope });
      } catch (error) {
        if (error instanceof IdentityError && error.reason === "invalid_grant") {
          return markReconnectRequired(tx, installationId, row.accountId, "refresh token refused (invalid_grant)");
        }
        return { kind: "failed", error };
      }
      await tx.installation.update({
        where: { id: installationId },
        data: {
          accessTokenEnc: encryptSecret(tokens.accessToken, `installation:${installationId}:access`),
          // OfficeRnD may rotate the refresh token; the old one is then spent, so keep the new one.
          ...(tokens.refreshToken ? { refreshTokenEnc: encryptSecret(tokens.refreshToken, `installation:${installationId}:refresh`) } : {}),
          tokenScope: tokens.scope ?? row.tokenScope,
          tokenExpiresAt: tokens.expiresAt,
        },
      });
      return { kind: "token", token: tokens.accessToken, isRefreshed: true };
    },
    { timeout: timeoutMs + 15_000, maxWait: 15_000 },
  );
  metrics.tokenRefreshes.inc({ outcome: outcome.kind === "token" ? (outcome.isRefreshed ? "refreshed" : "reused") : outcome.kind });
  if (outcome.kind === "token") return outcome.token;
  if (outcome.kind === "reconnect_required") {
    throw new AppError("reconnect_required", "OfficeRnD no longer accepts this connection. Reconnect the integration from OfficeRnD.");
  }
  const reason = outcome.error instanceof IdentityError ? outcome.error.reason : "unexpected";
  log.warn({ installationId, reason, message: outcome.error instanceof Error ? outcome.error.message : String(outcome.error) }, "token refresh failed");
  if (outcome.error instanceof IdentityError && outcome.error.code !== "unavailable") throw outcome.error;
  throw new AppError("unavailable", "OfficeRnD's sign-in service is unavailable. Try again in a minute.", { cause: outcome.error });
}

async function markReconnectRequired(tx: Client, installationId: string, accountId: string, why: string): Promise<Outcome> {
  await tx.installation.update({ where: { id: installationId }, data: { status: "reconnect_required" } });
  await recordAudit(
    {
      accountId,
      installationId,
      actor: "system",
      action: "installation.reconnect_required",
      before: { status: "active" },
      after: { status: "reconnect_required", why },
    },
    tx,
  );
  log.warn({ installationId, why }, "installation needs reconnecting");
  return { kind: "reconnect_required" };
}

async function readTokenRow(client: Pick<typeof db, "installation">, installationId: string) {
  const row = await client.installation.findUnique({ where: { id: installationId }, select: TOKEN_COLUMNS });
  if (!row) throw new AppError("not_found", "No such installation.");
  if (row.status === "removed") throw new AppError("not_connected", "The integration was removed from OfficeRnD.");
  if (row.status === "reconnect_required")
    throw new AppError("reconnect_required", "OfficeRnD no longer accepts this connection. Reconnect the integration from OfficeRnD.");
  return row;
}
