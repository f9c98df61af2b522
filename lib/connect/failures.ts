import { CONNECT_REASON_OF_UPSTREAM } from "@/lib/errors";
import { OfficeRndError, type UpstreamFailure } from "@/lib/officernd/upstream-failures";

// Every way the Connect popup can end without a connection, and what the admin is told (plain words,
// no codes or internals). The page shows the title and text and offers "Return to OfficeRnD".

export const FAILURES = {
  invalid_request: {
    title: "This link is incomplete",
    text: "OfficeRnD opened this window without the details we need. Close it and click Connect in OfficeRnD again.",
  },
  code_rejected: {
    title: "OfficeRnD did not accept the connection request",
    text: "The one-time code from OfficeRnD has expired or was already used. Close this window and click Connect in OfficeRnD again.",
  },
  identity_error: {
    title: "OfficeRnD refused to sign us in",
    text: "OfficeRnD's sign-in service refused our request. Please try again; if it keeps happening, contact support.",
  },
  officernd_busy: {
    title: "OfficeRnD is busy",
    text: "OfficeRnD's sign-in service only accepts a few requests a minute and is busy right now. Nothing was connected. Close this window and click Connect in OfficeRnD again in a moment.",
  },
  too_many_attempts: {
    title: "Too many connection attempts",
    text: "There were too many connection attempts from your network in the last minute. Nothing was connected. Close this window and click Connect in OfficeRnD again in a moment.",
  },
  officernd_unavailable: {
    title: "OfficeRnD is not answering",
    text: "We could not reach OfficeRnD just now. Nothing was connected. Please try again in a minute.",
  },
  timeout: {
    title: "OfficeRnD took too long to answer",
    text: "OfficeRnD did not answer in time. Nothing was connected. Please try again in a minute.",
  },
  api_error: {
    title: "OfficeRnD returned an error",
    text: "OfficeRnD answered with an error while we set up the connection. Nothing was connected. Please try again.",
  },
  secret_not_found: {
    title: "The integration could not be verified",
    text: "OfficeRnD did not give us this integration's signing secret, so we cannot verify its requests. Nothing was connected. Remove and add the integration in OfficeRnD, then connect again.",
  },
  wrong_app: {
    title: "This OfficeRnD integration belongs to another app",
    text: "This OfficeRnD integration belongs to another app, not to this one, so we stopped before connecting anything. Nothing was connected. Return to OfficeRnD, open this app's own integration (or add it from the app's listing) and click Connect there.",
  },
  region_untrusted: {
    title: "OfficeRnD sent an address we do not trust",
    text: "OfficeRnD named a server for this organisation that is not one of OfficeRnD's own, so we stopped before sending it anything. Nothing was connected. Please contact support.",
  },
  cancelled: {
    title: "Connection cancelled",
    text: "You cancelled. Nothing was connected.",
  },
  expired: {
    title: "This connection request has expired",
    text: "Connection requests are valid for 10 minutes. Nothing was connected. Close this window and click Connect in OfficeRnD again.",
  },
  state_mismatch: {
    title: "This connection request belongs to another window",
    text: "We could not match this window to the connection request, for example because it was opened in a different browser. Nothing was connected. Click Connect in OfficeRnD again.",
  },
  already_used: {
    title: "This connection request was already used",
    text: "Each connection request can be confirmed once. Click Connect in OfficeRnD again if you need to.",
  },
  account_not_allowed: {
    title: "You cannot connect this account",
    text: "Only owners and admins of an account can connect OfficeRnD to it. Nothing was connected.",
  },
  org_taken: {
    title: "This organisation is already connected",
    text: "This OfficeRnD organisation is already connected to another account, and each organisation may only be connected to one account. Nothing was connected.",
  },
  conflict: {
    title: "Another connection finished first",
    text: "This integration was connected from another window at the same moment. Nothing was changed by this window. Click Connect in OfficeRnD again if you need to.",
  },
  internal: {
    title: "Something went wrong on our side",
    text: "We could not finish the connection. Nothing was connected. It has been logged; please try again.",
  },
} as const satisfies Record<string, { title: string; text: string }>;

export type FailureReason = keyof typeof FAILURES;

/** Failures that end with "try again in N s", where N comes with the failure. */
export const WAIT_FAILURES: readonly FailureReason[] = ["officernd_busy", "too_many_attempts"];

/** The failure's text, with the wait when one is known: "… try again in 14 s." */
export function failureText(
  reason: FailureReason,
  retryAfterSeconds?: number | null,
): { title: string; text: string } {
  const failure = FAILURES[reason];
  if (!WAIT_FAILURES.includes(reason) || !retryAfterSeconds || retryAfterSeconds <= 0) return failure;
  const title =
    reason === "officernd_busy"
      ? `OfficeRnD is busy, try again in ${retryAfterSeconds} s`
      : `Too many attempts, try again in ${retryAfterSeconds} s`;
  return { title, text: failure.text.replace("in a moment", `in ${retryAfterSeconds} seconds`) };
}

export function isFailureReason(value: unknown): value is FailureReason {
  return typeof value === "string" && Object.hasOwn(FAILURES, value);
}

/** A failure the flow decides itself (not an HTTP error). */
export class ConnectFailure extends Error {
  constructor(
    readonly reason: FailureReason,
    message: string = reason,
  ) {
    super(message);
    this.name = "ConnectFailure";
  }
}

export function failureReasonOf(error: unknown): FailureReason {
  if (error instanceof ConnectFailure) return error.reason;
  if (error instanceof OfficeRndError) {
    const mapped = REASON_OF_UPSTREAM[error.reason];
    if (mapped) return mapped;
    // The identity server's other refusals (invalid_client, invalid_scope, …).
    if (error.route.endsWith("/oauth/token")) return "identity_error";
    return "api_error";
  }
  return "internal";
}

/** The one failure table's mapping (lib/errors.ts), checked against both vocabularies. */
const REASON_OF_UPSTREAM: Partial<Record<UpstreamFailure, FailureReason>> = CONNECT_REASON_OF_UPSTREAM;
