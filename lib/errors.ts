import { z } from "zod";

// One error type and one table from stable codes to HTTP status. JSON errors are flat
// `{ error, message }` because OfficeRnD shows `message` from a failing healthcheck.

export const ERROR_STATUS = {
  bad_request: 400,
  invalid_query: 400,
  invalid_body: 400,
  invalid_signature: 401,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  not_connected: 404,
  method_not_allowed: 405,
  conflict: 409,
  reconnect_required: 409,
  payload_too_large: 413,
  uri_too_long: 414,
  rate_limited: 429,
  internal: 500,
  upstream_error: 502,
  unavailable: 503,
  upstream_timeout: 504,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly headers: Record<string, string>;

  constructor(code: ErrorCode, message: string, options: { cause?: unknown; headers?: Record<string, string> } = {}) {
    super(message, { cause: options.cause });
    this.code = code;
    this.status = ERROR_STATUS[code];
    this.headers = options.headers ?? {};
  }
}

export type ErrorBody = { error: ErrorCode; message: string };
/** What anything thrown becomes: a status, a flat `{ error, message }` body and extra headers. */
export type ErrorAnswer = { status: number; body: ErrorBody; headers: Record<string, string> };

/** Turns anything thrown into a status and a body that leaks nothing internal. */
export function toErrorResponse(error: unknown): ErrorAnswer {
  if (error instanceof AppError) return { status: error.status, body: { error: error.code, message: error.message }, headers: error.headers };
  if (error instanceof z.ZodError) {
    const first = error.issues[0];
    const where = first && first.path.length > 0 ? `${first.path.join(".")}: ` : "";
    return { status: 400, body: { error: "bad_request", message: `${where}${first?.message ?? "invalid input"}` }, headers: {} };
  }
  if (isDatabaseUnavailable(error)) {
    return {
      status: 503,
      body: { error: "unavailable", message: "The service is temporarily unavailable. Please try again in a minute." },
      headers: { "Retry-After": "5" },
    };
  }
  return { status: 500, body: { error: "internal", message: "Something went wrong on our side. It has been logged." }, headers: {} };
}

const UNAVAILABLE_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "57P01", "57P03", "08006", "08001", "P1001", "P1017", "P2024"]);

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
