// Pure: the one table from each failure the healthcheck (and the configuration page's header) can
// report to what it says and what the admin does (issue 13 part 4). Every non-200 healthcheck answers
// `{ error, message, action }`, each at most 200 characters and never holding a secret: `message` says
// what is wrong and since when, `action` what to do. `fix` names the configuration page's one-click fix.

export type Fix = "reconnect" | "retry_sync" | "recreate_webhooks";

/** Failures found by looking at the installation (healthcheck and configuration page alike). */
export type InstallationFailure = "not_connected" | "reconnect_required" | "officernd_unavailable" | "sync_failing" | "webhooks_missing";

export type Facts = {
  status: "active" | "reconnect_required" | "removed";
  removedAt: Date | null;
  /** When OfficeRnD refused our refresh token (the audit trail's `installation.reconnect_required`). */
  reconnectSince: Date | null;
  /** The token probe failed because OfficeRnD (or the token endpoint) was unavailable, at this time. */
  officeRndUnavailableAt: Date | null;
  /** The oldest failed run since the location's last success, for the location failing longest. */
  syncFailure: { locationName: string; since: Date; reason: string | null } | null;
  /** OfficeRnD has no subscription of ours and recreating it failed (lib/webhooks/subscription.ts). */
  webhooksMissingSince: Date | null;
  reconcileMinutes: number;
};

export type Diagnosis = { failure: InstallationFailure; status: number; error: string; message: string; action: string; fix: Fix | null; since: Date | null };

const MAX = 200;

type Entry = { status: number; error: string; action: string; fix: Fix | null; message: (facts: Facts) => string; since: (facts: Facts) => Date | null };

/** The table. Order matters: the first failure that applies is the one reported. */
export const FAILURES: Record<InstallationFailure, Entry> = {
  not_connected: {
    status: 404,
    error: "not_connected",
    action: "Connect the integration again from OfficeRnD (Settings, Integrations, Connect). Synced data is kept.",
    fix: null,
    since: (facts) => facts.removedAt,
    message: (facts) => `This integration was disconnected${on(facts.removedAt)}; nothing is synced until it is connected again.`,
  },
  reconnect_required: {
    status: 409,
    error: "reconnect_required",
    action: "Open Configure and click Reconnect (or Connect the integration again in OfficeRnD).",
    fix: "reconnect",
    since: (facts) => facts.reconnectSince,
    message: (facts) => `OfficeRnD refused our refresh token${on(facts.reconnectSince)}: the connection was revoked or the app's credentials changed.`,
  },
  officernd_unavailable: {
    status: 503,
    error: "unavailable",
    action: "Nothing to do now: we retry automatically. If this lasts over an hour, open Configure and click Reconnect.",
    fix: null,
    since: (facts) => facts.officeRndUnavailableAt,
    message: (facts) =>
      `OfficeRnD was unavailable when we renewed our access${on(facts.officeRndUnavailableAt)}, so the connection cannot be checked right now.`,
  },
  sync_failing: {
    status: 503,
    error: "sync_failing",
    action: "Open Configure and click Retry sync. If it fails again, the reason shown tells what OfficeRnD answered.",
    fix: "retry_sync",
    since: (facts) => facts.syncFailure?.since ?? null,
    message: (facts) => {
      const failure = facts.syncFailure!;
      const head = `Sync of ${clip(failure.locationName, 60)} has failed since ${formatWhen(failure.since)}`;
      return failure.reason ? `${head}: ${clip(redact(failure.reason), MAX - head.length - 2)}` : `${head}.`;
    },
  },
  webhooks_missing: {
    status: 503,
    error: "webhooks_missing",
    action: "Open Configure and click Recreate webhooks.",
    fix: "recreate_webhooks",
    since: (facts) => facts.webhooksMissingSince,
    message: (facts) =>
      `OfficeRnD has had no webhook subscription for us since ${formatWhen(facts.webhooksMissingSince!)}: changes arrive only with the ${facts.reconcileMinutes}-minute check.`,
  },
};

const ORDER: readonly InstallationFailure[] = ["not_connected", "reconnect_required", "officernd_unavailable", "sync_failing", "webhooks_missing"];

function applies(failure: InstallationFailure, facts: Facts): boolean {
  switch (failure) {
    case "not_connected":
      return facts.status === "removed";
    case "reconnect_required":
      return facts.status === "reconnect_required";
    case "officernd_unavailable":
      return facts.officeRndUnavailableAt !== null;
    case "sync_failing":
      return facts.syncFailure !== null;
    case "webhooks_missing":
      return facts.webhooksMissingSince !== null;
  }
}

/** The first failure that applies, rendered; null when the installation is healthy. */
export function diagnose(facts: Facts): Diagnosis | null {
  const failure = ORDER.find((candidate) => applies(candidate, facts));
  if (!failure) return null;
  const entry = FAILURES[failure];
  return {
    failure,
    status: entry.status,
    error: entry.error,
    message: clip(entry.message(facts), MAX),
    action: clip(entry.action, MAX),
    fix: entry.fix,
    since: entry.since(facts),
  };
}

/**
 * Actions for failures the signed-request wrapper answers before the installation is known (bad or
 * replayed signature, unknown organisation, rate limit, our own outage), by error code.
 */
export const REQUEST_FAILURE_ACTIONS: Record<string, string> = {
  invalid_signature:
    "Check the server clocks and that the integration's secret was not regenerated; if it was, remove and add the integration again in OfficeRnD.",
  not_found: "Connect the integration from OfficeRnD (Settings, Integrations, Connect); no installation matches this organisation and these locations.",
  not_connected: FAILURES.not_connected.action,
  reconnect_required: FAILURES.reconnect_required.action,
  rate_limited: "Wait a minute and check again: too many calls arrived for this organisation.",
  unavailable: "Nothing to do now: we retry automatically. If this lasts over an hour, contact the integration's support.",
  internal: "Check again in a few minutes; the error was logged for the integration's support.",
};
export const DEFAULT_REQUEST_ACTION = "OfficeRnD's call was not in the expected form; check again, and contact the integration's support if it persists.";

/** "on 29 Nov 14:02 UTC" (empty when unknown). */
function on(date: Date | null): string {
  return date ? ` on ${formatWhen(date)}` : "";
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

export function formatWhen(date: Date): string {
  return `${date.getUTCDate()} ${MONTHS[date.getUTCMonth()]} ${date.toISOString().slice(11, 16)} UTC`;
}

/** At most `max` characters, ending in "…" when cut. */
export function clip(text: string, max: number = MAX): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length <= max ? flat : `${flat.slice(0, Math.max(0, max - 1)).trimEnd()}…`;
}

/** Upstream error text may quote URLs and headers: drop anything that looks like a credential. */
export function redact(text: string): string {
  return text
    .replace(/\bBearer\s+[A-Za-z0-9._~+/=-]+/gi, "Bearer [redacted]")
    .replace(/([?&;,\s](?:access_token|refresh_token|token|code|secret|client_secret|signature|password)=)[^&\s,;]+/gi, "$1[redacted]")
    .replace(/\b(t=\d+,\s*signature=)[0-9a-f]+/gi, "$1[redacted]");
}
