// The result of `npm run officernd:check`: one row per question a partner needs answered before going live.

export type CheckStatus = "pass" | "fail" | "warn" | "skip";

export type CheckRow = {
  /** Stable identifier, e.g. `token.legacy`, `list.members`, `webhooks.create`. */
  id: string;
  check: string;
  status: CheckStatus;
  /** What happened: the answer seen, or the reason it failed (never a secret or token). */
  detail: string;
  /** What to do about it; empty when nothing is needed. */
  action: string;
  /** A failed blocker means the app will not work against this organisation: the command exits 1. */
  blocker: boolean;
};

export type Generation = "v1" | "v2";

export type CheckReport = {
  org: string;
  identityUrl: string;
  appUrl: string;
  regionUrl: string | null;
  /** The API generation the app will use with OFFICERND_SCOPES, or null when none works. */
  generation: Generation | null;
  rows: CheckRow[];
  blockers: number;
  ok: boolean;
};

export type CheckOptions = {
  org: string;
  identityUrl: string;
  appUrl: string;
  clientId: string;
  clientSecret: string;
  /** The scopes the app requests at Connect (OFFICERND_SCOPES); decides which generation it will use. */
  appScopes: string;
  /** Where the test webhook subscription points; it is deleted before the command exits. */
  webhookUrl: string;
  timeoutMs: number;
};
