// Pure: what each failure the healthcheck (and the configuration page's header) can report says, in
// which order they apply, and which one-click fix goes with it (issue 13 part 4); its code, status and
// action come from the one failure table (lib/errors.ts). Every non-200 healthcheck answers
// `{ error, message, action }`, each at most 200 characters and never holding a secret: `message` says
// what is wrong and since when, `action` what to do. `fix` names the configuration page's one-click fix.

import {
  adminActionFor,
  DEFAULT_ACTION,
  ERROR_STATUS,
  INSTALLATION_FAILURE_CODES,
  PUBLIC_ERRORS,
  type ErrorCode,
} from "@/lib/errors";

export type Fix = "reconnect" | "retry_sync" | "recreate_webhooks";

/** Failures found by looking at the installation (healthcheck and configuration page alike). */
export type InstallationFailure =
  "not_connected" | "reconnect_required" | "officernd_unavailable" | "sync_failing" | "webhooks_missing";

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

export type Diagnosis = {
  failure: InstallationFailure;
  status: number;
  error: string;
  message: string;
  action: string;
  fix: Fix | null;
  since: Date | null;
};

const MAX = 200;

type Entry = {
  status: number;
  error: ErrorCode;
  action: string;
  fix: Fix | null;
  message: (facts: Facts) => string;
  since: (facts: Facts) => Date | null;
};
type Wording = Pick<Entry, "fix" | "message" | "since">;

/** The failure's code, status and action from the one table, with this file's wording. */
function entry(failure: InstallationFailure, wording: Wording): Entry {
  const mapped: { code: ErrorCode; action?: string } = INSTALLATION_FAILURE_CODES[failure];
  return {
    status: ERROR_STATUS[mapped.code],
    error: mapped.code,
    action: mapped.action ?? adminActionFor(mapped.code),
    ...wording,
  };
}

/** The table. Order matters: the first failure that applies is the one reported. */
export const FAILURES: Record<InstallationFailure, Entry> = {
  not_connected: entry("not_connected", {
    fix: null,
    since: (facts) => facts.removedAt,
    message: (facts) =>
      `This integration was disconnected${on(facts.removedAt)}; nothing is synced until it is connected again.`,
  }),
  reconnect_required: entry("reconnect_required", {
    fix: "reconnect",
    since: (facts) => facts.reconnectSince,
    message: (facts) =>
      `OfficeRnD refused our refresh token${on(facts.reconnectSince)}: the connection was revoked or the app's credentials changed.`,
  }),
  officernd_unavailable: entry("officernd_unavailable", {
    fix: null,
    since: (facts) => facts.officeRndUnavailableAt,
    message: (facts) =>
      `OfficeRnD was unavailable when we renewed our access${on(facts.officeRndUnavailableAt)}, so the connection cannot be checked right now.`,
  }),
  sync_failing: entry("sync_failing", {
    fix: "retry_sync",
    since: (facts) => facts.syncFailure?.since ?? null,
    message: (facts) => {
      const failure = facts.syncFailure!;
      const head = `Sync of ${clip(failure.locationName, 60)} has failed since ${formatWhen(failure.since)}`;
      return failure.reason ? `${head}: ${clip(redact(failure.reason), MAX - head.length - 2)}` : `${head}.`;
    },
  }),
  webhooks_missing: entry("webhooks_missing", {
    fix: "recreate_webhooks",
    since: (facts) => facts.webhooksMissingSince,
    message: (facts) =>
      `OfficeRnD has had no webhook subscription for us since ${formatWhen(facts.webhooksMissingSince!)}: changes arrive only with the ${facts.reconcileMinutes}-minute check.`,
  }),
};

const ORDER: readonly InstallationFailure[] = [
  "not_connected",
  "reconnect_required",
  "officernd_unavailable",
  "sync_failing",
  "webhooks_missing",
];

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
 * replayed signature, unknown organisation, rate limit, our own outage), by error code: the table's.
 */
export const REQUEST_FAILURE_ACTIONS: Record<string, string> = Object.fromEntries(
  Object.entries(PUBLIC_ERRORS).flatMap(([code, entry]) => ("action" in entry ? [[code, entry.action]] : [])),
);
export const DEFAULT_REQUEST_ACTION = DEFAULT_ACTION;

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
    .replace(
      /([?&;,\s](?:access_token|refresh_token|token|code|secret|client_secret|signature|password)=)[^&\s,;]+/gi,
      "$1[redacted]",
    )
    .replace(/\b(t=\d+,\s*signature=)[0-9a-f]+/gi, "$1[redacted]");
}
