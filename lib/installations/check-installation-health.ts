import "server-only";
import { db } from "@/lib/db";
import { AppError, isDatabaseUnavailable } from "@/lib/errors";
import type { SignedInstallation } from "@/lib/installations/resolve-signed-installation";
import { errorSummary, log } from "@/lib/log";
import { getAccessToken, isTokenFresh } from "@/lib/officernd/tokens";

// What the Healthcheck URL reports (partner guide: `{ "accountName": … }` when connected, an error
// with a `message` otherwise). Healthy means: the installation is active and its OfficeRnD token
// works, refreshed if it is about to expire.

/** Seam for the token check; the default gets (and if needed refreshes) a real access token. */
export type TokenProbe = (installationId: string) => Promise<unknown>;

const RECONNECT_MESSAGE =
  "OfficeRnD no longer accepts this integration's authorisation. Reconnect the integration from OfficeRnD.";
const UNAVAILABLE_MESSAGE =
  "The connection to OfficeRnD cannot be checked right now because a service is unavailable. Try again in a few minutes.";

/** "Last healthcheck" is shown to the minute; recording every probe would add a write to each one. */
export const HEALTHCHECK_RECORD_INTERVAL_MS = 60_000;

/**
 * Records the probe (at most once a minute), then answers `{ accountName }` or throws an AppError:
 * `reconnect_required` (409) or `unavailable` (503). The installation row the signature was verified
 * against already holds the token's expiry, so a healthy probe needs no further read: getAccessToken
 * (which may refresh, and so may call OfficeRnD) runs only when the token has ≤ 60 s left.
 */
export async function checkInstallationHealth(
  installation: SignedInstallation,
  { probeToken = getAccessToken }: { probeToken?: TokenProbe } = {},
): Promise<{ accountName: string }> {
  const now = new Date();
  // Every authentic probe counts, healthy or not: "OfficeRnD last checked us at …".
  if (
    !installation.lastHealthcheckAt ||
    now.getTime() - installation.lastHealthcheckAt.getTime() >= HEALTHCHECK_RECORD_INTERVAL_MS
  ) {
    await db.installation.update({ where: { id: installation.id }, data: { lastHealthcheckAt: now } });
  }
  return checkTokenHealth(installation, { probeToken, now });
}

/**
 * The health verdict once the probe is recorded (the signed healthcheck records it inside its one
 * statement, lib/installations/record-healthcheck.ts): status, then the token.
 */
export async function checkTokenHealth(
  installation: Pick<SignedInstallation, "id" | "status" | "tokenExpiresAt" | "accountName">,
  { probeToken = getAccessToken, now = new Date() }: { probeToken?: TokenProbe; now?: Date } = {},
): Promise<{ accountName: string }> {
  if (installation.status === "reconnect_required")
    throw new AppError("reconnect_required", RECONNECT_MESSAGE);
  if (isTokenFresh({ expiresAt: installation.tokenExpiresAt, now }))
    return { accountName: installation.accountName };

  try {
    await probeToken(installation.id);
  } catch (error) {
    throw healthError(installation.id, error);
  }
  return { accountName: installation.accountName };
}

function healthError(installationId: string, error: unknown): AppError {
  if (error instanceof AppError && error.code === "reconnect_required")
    return new AppError("reconnect_required", RECONNECT_MESSAGE);
  if (error instanceof AppError && error.code === "not_connected") {
    return new AppError(
      "not_connected",
      "This integration is no longer connected to a partner account. Connect it again from OfficeRnD.",
    );
  }
  // OfficeRnD down, rate limiting, a database outage or anything unexpected: a healthcheck must not
  // answer 500, and the admin can only wait, so all of these are "unavailable".
  const isExpected = (error instanceof AppError && error.status >= 500) || isDatabaseUnavailable(error);
  const details = errorSummary(error, { withName: true });
  if (isExpected) log.warn({ installationId, err: details }, "healthcheck: token not usable right now");
  else log.error({ installationId, err: details }, "healthcheck: unexpected error while checking the token");
  return new AppError("unavailable", UNAVAILABLE_MESSAGE, { headers: { "Retry-After": "30" } });
}
