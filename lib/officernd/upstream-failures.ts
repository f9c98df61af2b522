import { AppError, UPSTREAM_FAILURE_CODES, type ErrorCode } from "@/lib/errors";

// How a call to OfficeRnD failed. Every OfficeRnD call (identity server and API, v1 and v2) fails with an
// OfficeRndError carrying one of these reasons, so a 429 or a timeout means the same thing wherever it
// happens; the code each answers is in the one failure table (lib/errors.ts).

export type UpstreamFailure =
  /** No answer within OFFICERND_HTTP_TIMEOUT_MS. */
  | "timeout"
  /** DNS, refused or dropped connection. */
  | "unreachable"
  /** HTTP 5xx (after retries). */
  | "server_error"
  /** HTTP 429 (after retries, Retry-After honoured). */
  | "rate_limited"
  /** Our own shared budget had no slot in time (the token endpoint's 5 a minute). */
  | "busy"
  /** HTTP 401 that one token refresh did not cure. */
  | "unauthorized"
  /** The identity server refused the grant (RFC 6749 `invalid_grant`): code spent, token revoked. */
  | "invalid_grant"
  /** HTTP 403: scope, permission or location access. */
  | "forbidden"
  /** HTTP 404: the record, or the route itself. */
  | "not_found"
  /** Any other 4xx: the request itself is wrong, a retry would be refused the same way. */
  | "rejected"
  /** A 2xx whose body is not JSON or not the shape we need (HTML, a wrong type, a missing field). */
  | "invalid_response";

export const FAILURE_CODES: Record<UpstreamFailure, ErrorCode> = UPSTREAM_FAILURE_CODES;

export function failureOfStatus(status: number): UpstreamFailure {
  if (status === 401) return "unauthorized";
  if (status === 403) return "forbidden";
  if (status === 404) return "not_found";
  if (status === 429) return "rate_limited";
  if (status >= 500) return "server_error";
  return "rejected";
}

export class OfficeRndError extends AppError {
  readonly reason: UpstreamFailure;
  readonly httpStatus: number | null;
  /** "GET /api/v2/organizations/acme/members": what was called (never a token or a query value). */
  readonly route: string;
  /** OfficeRnD's `message` (or `error`), cut short: tells a missing route from a missing record. */
  readonly upstreamMessage: string | null;
  /** RFC 6749 `error` from the identity server. */
  readonly oauthError: string | null;
  /** How long OfficeRnD (or our budget) asked us to wait, when known. */
  readonly retryAfterMs: number | null;

  constructor(
    reason: UpstreamFailure,
    message: string,
    options: {
      route: string;
      httpStatus?: number | null;
      upstreamMessage?: string | null;
      oauthError?: string | null;
      retryAfterMs?: number | null;
      cause?: unknown;
    },
  ) {
    const retryAfterMs = options.retryAfterMs ?? null;
    super(FAILURE_CODES[reason], message, {
      cause: options.cause,
      headers:
        retryAfterMs !== null && FAILURE_CODES[reason] !== "bad_request"
          ? { "Retry-After": String(Math.max(1, Math.ceil(retryAfterMs / 1000))) }
          : {},
    });
    this.name = "OfficeRndError";
    this.reason = reason;
    this.httpStatus = options.httpStatus ?? null;
    this.route = options.route;
    this.upstreamMessage = options.upstreamMessage ?? null;
    this.oauthError = options.oauthError ?? null;
    this.retryAfterMs = retryAfterMs;
  }
}

export function isOfficeRndError(error: unknown, ...reasons: UpstreamFailure[]): error is OfficeRndError {
  return error instanceof OfficeRndError && (reasons.length === 0 || reasons.includes(error.reason));
}

/**
 * A 404 that says the route does not exist rather than the record: NestJS answers an unknown route with
 * `{"message":"Cannot GET /path"}` (Express's default wording), a missing record with its own message.
 */
export function isMissingRoute(error: unknown): boolean {
  return (
    error instanceof OfficeRndError &&
    error.reason === "not_found" &&
    /^Cannot (GET|POST|DELETE|PUT|PATCH) /i.test(error.upstreamMessage ?? "")
  );
}
