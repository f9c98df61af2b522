import { z } from "zod";

// The one failure table (issue 15 §2): each layer keeps its own failure names, and this file alone maps
// them to the public `error` code, its HTTP status and, for a failing healthcheck, the admin's `action`.
// JSON errors are flat `{ error, message }` because OfficeRnD shows `message`.

type PublicError = { status: number; action?: string };

/** The public `error` codes: HTTP status, and the admin's action when the healthcheck can answer it. */
export const PUBLIC_ERRORS = {
  bad_request: { status: 400 },
  invalid_query: { status: 400 },
  invalid_body: { status: 400 },
  invalid_signature: {
    status: 401,
    action:
      "Check the server clocks and that the integration's secret was not regenerated; if it was, remove and add the integration again in OfficeRnD.",
  },
  unauthorized: { status: 401 },
  forbidden: { status: 403 },
  not_found: {
    status: 404,
    action:
      "Connect the integration from OfficeRnD (Settings, Integrations, Connect); no installation matches this organisation and these locations.",
  },
  not_connected: {
    status: 404,
    action:
      "Connect the integration again from OfficeRnD (Settings, Integrations, Connect). Synced data is kept.",
  },
  method_not_allowed: { status: 405 },
  conflict: { status: 409 },
  reconnect_required: {
    status: 409,
    action: "Open Configure and click Reconnect (or Connect the integration again in OfficeRnD).",
  },
  payload_too_large: { status: 413 },
  uri_too_long: { status: 414 },
  rate_limited: {
    status: 429,
    action: "Wait a minute and check again: too many calls arrived for this organisation.",
  },
  internal: {
    status: 500,
    action: "Check again in a few minutes; the error was logged for the integration's support.",
  },
  upstream_error: { status: 502 },
  unavailable: {
    status: 503,
    action:
      "Nothing to do now: we retry automatically. If this lasts over an hour, contact the integration's support.",
  },
  /** Healthcheck only: a location's sync has kept failing. */
  sync_failing: {
    status: 503,
    action:
      "Open Configure and click Retry sync. If it fails again, the reason shown tells what OfficeRnD answered.",
  },
  /** Healthcheck only: OfficeRnD holds no webhook subscription of ours. */
  webhooks_missing: { status: 503, action: "Open Configure and click Recreate webhooks." },
  upstream_timeout: { status: 504 },
} as const satisfies Record<string, PublicError>;

export type ErrorCode = keyof typeof PUBLIC_ERRORS;

export const ERROR_STATUS = Object.fromEntries(
  Object.entries(PUBLIC_ERRORS).map(([code, entry]) => [code, entry.status]),
) as {
  [Code in ErrorCode]: (typeof PUBLIC_ERRORS)[Code]["status"];
};

/** The healthcheck's action for a code without one of its own. */
export const DEFAULT_ACTION =
  "OfficeRnD's call was not in the expected form; check again, and contact the integration's support if it persists.";

export function adminActionFor(code: string): string {
  const entry: PublicError | undefined = Object.hasOwn(PUBLIC_ERRORS, code)
    ? PUBLIC_ERRORS[code as ErrorCode]
    : undefined;
  return entry?.action ?? DEFAULT_ACTION;
}

/** How a call to OfficeRnD failed (`UpstreamFailure`, lib/officernd/upstream-failures.ts) → code. */
export const UPSTREAM_FAILURE_CODES = {
  timeout: "upstream_timeout",
  unreachable: "unavailable",
  server_error: "upstream_error",
  rate_limited: "rate_limited",
  busy: "unavailable",
  unauthorized: "reconnect_required",
  invalid_grant: "reconnect_required",
  forbidden: "forbidden",
  not_found: "not_found",
  rejected: "bad_request",
  invalid_response: "upstream_error",
} as const satisfies Record<string, ErrorCode>;

/**
 * Why a signed GET was refused (verifier, then resolver) → code. The reason itself only reaches the log
 * and the refused-calls list: every signature problem and an unknown slug answer alike.
 */
export const SIGNED_REQUEST_FAILURE_CODES = {
  missing: "invalid_signature",
  malformed: "invalid_signature",
  stale: "invalid_signature",
  future: "invalid_signature",
  mismatch: "invalid_signature",
  no_slug: "invalid_signature",
  unknown_slug: "invalid_signature",
  removed: "not_connected",
  no_locations: "invalid_query",
  locations_mismatch: "not_connected",
  /** An AppError below 500 (e.g. reconnect_required) keeps its own code. */
  locations_unconfirmed: "unavailable",
} as const satisfies Record<string, ErrorCode>;

/**
 * What the healthcheck and the configuration page diagnose (`InstallationFailure`) → code, with the
 * action where it differs from the code's own.
 */
export const INSTALLATION_FAILURE_CODES = {
  not_connected: { code: "not_connected" },
  reconnect_required: { code: "reconnect_required" },
  officernd_unavailable: {
    code: "unavailable",
    action:
      "Nothing to do now: we retry automatically. If this lasts over an hour, open Configure and click Reconnect.",
  },
  sync_failing: { code: "sync_failing" },
  webhooks_missing: { code: "webhooks_missing" },
} as const satisfies Record<string, { code: ErrorCode; action?: string }>;

/**
 * Connect's failure reasons answer no JSON: they name the page `/connect/failed?reason=…`. Any other
 * refusal by OfficeRnD is `identity_error` (token endpoint) or `api_error`.
 */
export const CONNECT_REASON_OF_UPSTREAM = {
  busy: "officernd_busy",
  invalid_grant: "code_rejected",
  timeout: "timeout",
  unreachable: "officernd_unavailable",
  server_error: "officernd_unavailable",
  rate_limited: "officernd_unavailable",
} as const;

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly headers: Record<string, string>;

  constructor(
    code: ErrorCode,
    message: string,
    options: { cause?: unknown; headers?: Record<string, string> } = {},
  ) {
    super(message, { cause: options.cause });
    this.code = code;
    this.status = ERROR_STATUS[code];
    this.headers = options.headers ?? {};
  }
}

export type ErrorBody = { error: ErrorCode; message: string };
export type ErrorAnswer = { status: number; body: ErrorBody; headers: Record<string, string> };

/** Turns anything thrown into a status and a body that leaks nothing internal. */
export function toErrorResponse(error: unknown): ErrorAnswer {
  if (error instanceof AppError)
    return {
      status: error.status,
      body: { error: error.code, message: error.message },
      headers: error.headers,
    };
  if (error instanceof z.ZodError) {
    const first = error.issues[0];
    const where = first && first.path.length > 0 ? `${first.path.join(".")}: ` : "";
    return {
      status: 400,
      body: { error: "bad_request", message: `${where}${first?.message ?? "invalid input"}` },
      headers: {},
    };
  }
  if (isDatabaseUnavailable(error)) {
    return {
      status: 503,
      body: {
        error: "unavailable",
        message: "The service is temporarily unavailable. Please try again in a minute.",
      },
      headers: { "Retry-After": "5" },
    };
  }
  return {
    status: 500,
    body: { error: "internal", message: "Something went wrong on our side. It has been logged." },
    headers: {},
  };
}

const UNAVAILABLE_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "57P01",
  "57P03",
  "08006",
  "08001",
  "P1001",
  "P1017",
  "P2024",
]);

/** Postgres down, restarting or unreachable, however the driver or Prisma wraps it. */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let current = error, depth = 0; current && depth < 6; depth++) {
    const candidate = current as { code?: unknown; message?: unknown; cause?: unknown };
    if (typeof candidate.code === "string" && UNAVAILABLE_CODES.has(candidate.code)) return true;
    if (
      typeof candidate.message === "string" &&
      /connect(ion)? (refused|terminated|timeout)|Can't reach database|server has closed the connection|the database system is (starting up|shutting down|in recovery mode)|timeout exceeded when trying to connect/i.test(
        candidate.message,
      )
    )
      return true;
    current = candidate.cause;
  }
  return false;
}

/** A flat JSON error, the one shape every route answers with: `{ error, message }`. */
export function errorResponse(
  code: ErrorCode,
  message: string,
  headers: Record<string, string> = {},
): Response {
  const { status, body } = toErrorResponse(new AppError(code, message));
  return Response.json(body, { status, headers: { "Cache-Control": "no-store", ...headers } });
}
