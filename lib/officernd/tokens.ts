import "server-only";
import { recordAudit } from "@/lib/audit/record-audit";
import { decryptSecret, encryptSecret } from "@/lib/crypto/secrets";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { errorSummary, log } from "@/lib/log";
import { metrics } from "@/lib/metrics";
import { REFRESH_MAX_WAIT_MS, refreshAccessToken, TOKEN_RETRY_POLICY } from "@/lib/officernd/token-endpoint";
import { isOfficeRndError } from "@/lib/officernd/upstream-failures";

// Access tokens per installation. OfficeRnD's token endpoint allows ~5 requests a minute for the whole
// client (spec §1), so each installation refreshes early at its own point 5–15 minutes before expiry and
// only with a spare slot of the token budget; a token due within 5 minutes (or rejected) goes first. One
// refresh per installation at a time: one promise in this process, a Postgres advisory lock across them.

/** A token with less than this left is not sent any more (OfficeRnD's own sample uses 60 s, spec §5). */
export const REFRESH_MARGIN_MS = 60_000;
/** A token this close to expiry is refreshed first in line ("due"). */
export const DUE_MARGIN_MS = 5 * 60_000;
const EARLY_SPREAD_MS = 10 * 60_000;

/** Pure: how long before expiry this installation refreshes early (5–15 min, stable per installation). */
export function earlyRefreshMarginMs(installationId: string): number {
  let hash = 2166136261;
  for (const char of installationId) hash = Math.imul(hash ^ char.charCodeAt(0), 16777619) >>> 0;
  return DUE_MARGIN_MS + (hash % EARLY_SPREAD_MS);
}

/** Pure: use the stored token, refresh it early if a slot is spare, or refresh it first in line. */
export function tokenAction({
  installationId,
  expiresAt,
  now,
}: {
  installationId: string;
  expiresAt: Date | null;
  now: Date;
}): "use" | "early" | "due" {
  if (expiresAt === null) return "due";
  const left = expiresAt.getTime() - now.getTime();
  if (left > earlyRefreshMarginMs(installationId)) return "use";
  return left > DUE_MARGIN_MS ? "early" : "due";
}

export function isTokenFresh({
  expiresAt,
  now,
  marginMs = REFRESH_MARGIN_MS,
}: {
  expiresAt: Date | null;
  now: Date;
  marginMs?: number;
}): boolean {
  return expiresAt !== null && expiresAt.getTime() - now.getTime() > marginMs;
}

export type GetAccessTokenOptions = {
  /** Refresh even though the stored token looks valid (after a 401 from the API). */
  forceRefresh?: boolean;
  /** With forceRefresh: the token the API rejected; if the stored one differs, it is returned as is. */
  rejectedToken?: string;
};

type Client = Pick<typeof db, "installation" | "auditEvent" | "$executeRaw">;

const TOKEN_COLUMNS = {
  status: true,
  accountId: true,
  accessTokenEnc: true,
  refreshTokenEnc: true,
  tokenScope: true,
  tokenExpiresAt: true,
} as const;

const inFlight = new Map<string, { promise: Promise<string>; priority: "urgent" | "early" }>();

/**
 * A Bearer token for the installation's OfficeRnD organisation. Throws AppError `reconnect_required`
 * when OfficeRnD refused the refresh token (the installation is marked so), `unavailable` on network
 * errors, timeouts, 429 and 5xx, `not_connected` for a removed installation, `not_found` for none.
 */
export async function getAccessToken(
  installationId: string,
  options: GetAccessTokenOptions = {},
): Promise<string> {
  const row = await readTokenRow(db, installationId);
  const current = row.accessTokenEnc
    ? decryptSecret(row.accessTokenEnc, `installation:${installationId}:access`)
    : null;
  const action = tokenAction({ installationId, expiresAt: row.tokenExpiresAt, now: new Date() });
  if (!options.forceRefresh && current && action === "use") return current;
  if (!options.forceRefresh && current && action === "early") {
    // Only with a slot to spare; otherwise this still-good token serves, and the next call tries again.
    return refreshCoalesced(installationId, null, "early").catch((error: unknown) => {
      if (isOfficeRndError(error) || (error instanceof AppError && error.code === "unavailable"))
        return current;
      throw error;
    });
  }
  const staleToken = options.forceRefresh ? (options.rejectedToken ?? current) : null;
  return refreshCoalesced(installationId, staleToken, "urgent");
}

/** Joins a refresh already running in this process; starts one only if none gave a usable token. */
async function refreshCoalesced(
  installationId: string,
  staleToken: string | null,
  priority: "urgent" | "early",
): Promise<string> {
  for (let running = inFlight.get(installationId); running; running = inFlight.get(installationId)) {
    // An early refresh that found no spare slot says nothing to a caller who needs a token now.
    const token = await (running.priority === "early" && priority === "urgent"
      ? running.promise.catch(() => null)
      : running.promise);
    if (token !== null && (staleToken === null || token !== staleToken)) return token;
    if (inFlight.get(installationId) === running) break;
  }
  const promise = refreshUnderLock(installationId, staleToken, priority).finally(() => {
    if (inFlight.get(installationId)?.promise === promise) inFlight.delete(installationId);
  });
  inFlight.set(installationId, { promise, priority });
  return promise;
}

type Outcome =
  | { kind: "token"; token: string; isRefreshed: boolean }
  | { kind: "reconnect_required" }
  | { kind: "failed"; error: unknown };

async function refreshUnderLock(
  installationId: string,
  staleToken: string | null,
  priority: "urgent" | "early",
): Promise<string> {
  // The lock is held while waiting for a token slot and for OfficeRnD: both bounded.
  const timeoutMs =
    REFRESH_MAX_WAIT_MS +
    TOKEN_RETRY_POLICY.maxAttempts * env().OFFICERND_HTTP_TIMEOUT_MS +
    TOKEN_RETRY_POLICY.maxRetryAfterMs;
  const outcome = await db.$transaction(
    async (tx): Promise<Outcome> => {
      // Serialises refreshes of one installation across every app and worker process.
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`officernd-token:${installationId}`}))`;
      const row = await readTokenRow(tx, installationId);
      const current = row.accessTokenEnc
        ? decryptSecret(row.accessTokenEnc, `installation:${installationId}:access`)
        : null;
      const isReplaced = staleToken === null || current !== staleToken;
      const action = tokenAction({ installationId, expiresAt: row.tokenExpiresAt, now: new Date() });
      // Someone else refreshed while we waited for the lock (or, early, nothing is due any more).
      if (
        current &&
        isReplaced &&
        (action === "use" ||
          (priority === "urgent" &&
            isTokenFresh({ expiresAt: row.tokenExpiresAt, now: new Date(), marginMs: DUE_MARGIN_MS })))
      )
        return { kind: "token", token: current, isRefreshed: false };
      if (!row.refreshTokenEnc)
        return markReconnectRequired(tx, installationId, row.accountId, "no refresh token stored");
      const refreshToken = decryptSecret(row.refreshTokenEnc, `installation:${installationId}:refresh`);
      let tokens;
      try {
        tokens = await refreshAccessToken({ refreshToken, scope: row.tokenScope, priority });
      } catch (error) {
        if (isOfficeRndError(error, "invalid_grant")) {
          return markReconnectRequired(
            tx,
            installationId,
            row.accountId,
            "refresh token refused (invalid_grant)",
          );
        }
        return { kind: "failed", error };
      }
      await tx.installation.update({
        where: { id: installationId },
        data: {
          accessTokenEnc: encryptSecret(tokens.accessToken, `installation:${installationId}:access`),
          // OfficeRnD may rotate the refresh token; the old one is then spent, so keep the new one.
          ...(tokens.refreshToken
            ? {
                refreshTokenEnc: encryptSecret(tokens.refreshToken, `installation:${installationId}:refresh`),
              }
            : {}),
          tokenScope: tokens.scope ?? row.tokenScope,
          tokenExpiresAt: tokens.expiresAt,
        },
      });
      return { kind: "token", token: tokens.accessToken, isRefreshed: true };
    },
    { timeout: timeoutMs + 15_000, maxWait: 15_000 },
  );
  metrics.tokenRefreshes.inc({
    outcome: outcome.kind === "token" ? (outcome.isRefreshed ? "refreshed" : "reused") : outcome.kind,
  });
  if (outcome.kind === "token") return outcome.token;
  if (outcome.kind === "reconnect_required") {
    throw new AppError(
      "reconnect_required",
      "OfficeRnD no longer accepts this connection. Reconnect the integration from OfficeRnD.",
    );
  }
  const reason = isOfficeRndError(outcome.error) ? outcome.error.reason : "unexpected";
  log.warn(
    { installationId, reason, priority, message: errorSummary(outcome.error) },
    "token refresh failed",
  );
  // A refusal we cannot wait out (a rejected client, a wrong answer) is passed on as it is.
  if (
    isOfficeRndError(outcome.error, "rejected", "invalid_response", "unauthorized", "forbidden", "not_found")
  )
    throw outcome.error;
  throw new AppError("unavailable", "OfficeRnD's sign-in service is unavailable. Try again in a minute.", {
    cause: outcome.error,
  });
}

async function markReconnectRequired(
  tx: Client,
  installationId: string,
  accountId: string,
  why: string,
): Promise<Outcome> {
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
  if (row.status === "removed")
    throw new AppError("not_connected", "The integration was removed from OfficeRnD.");
  if (row.status === "reconnect_required")
    throw new AppError(
      "reconnect_required",
      "OfficeRnD no longer accepts this connection. Reconnect the integration from OfficeRnD.",
    );
  return row;
}
