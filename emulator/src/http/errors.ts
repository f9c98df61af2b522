import { STATUS_CODES } from "node:http";

/** An error that already knows its HTTP answer; thrown by handlers, sent by the server loop. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(
      typeof body === "object" && body !== null && "message" in body
        ? String((body as { message: unknown }).message)
        : `HTTP ${status}`,
    );
  }
}

export function reasonPhrase(status: number): string {
  return STATUS_CODES[status] ?? "Error";
}

/** NestJS's default exception body (API v2 runs on NestJS; the exact OfficeRnD body is unconfirmed). */
export function nestErrorBody(status: number, message: string | string[]) {
  return { statusCode: status, message, error: reasonPhrase(status) };
}

export function nestError(
  status: number,
  message: string | string[],
  headers?: Record<string, string>,
): HttpError {
  return new HttpError(status, nestErrorBody(status, message), headers);
}

/** RFC 6749 §5.2 error body of the token endpoint. */
export function oauthError(
  status: number,
  error: string,
  description: string,
  headers?: Record<string, string>,
): HttpError {
  return new HttpError(
    status,
    { error, error_description: description },
    { "cache-control": "no-store", ...headers },
  );
}
