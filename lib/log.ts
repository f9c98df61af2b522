import "server-only";
import { AsyncLocalStorage } from "node:async_hooks";
import pino from "pino";
import { env } from "@/lib/env";

// Structured JSON logs. Every line carries the fields of the request or job it belongs to (request id,
// installation, organisation, location, event, run) through AsyncLocalStorage, and anything that could
// hold a credential is redacted by key, wherever it nests.
const REDACTED_KEYS = [
  "password",
  "passwordHash",
  "token",
  "accessToken",
  "refreshToken",
  "access_token",
  "refresh_token",
  "secret",
  "client_secret",
  "clientSecret",
  "code",
  "cookie",
  "authorization",
  "signature",
  "state",
];

export type LogFields = {
  requestId?: string;
  route?: string;
  installationId?: string;
  orgSlug?: string;
  locationId?: string;
  eventId?: string;
  runId?: string;
  jobId?: string;
};

const context = new AsyncLocalStorage<LogFields>();

export const log = pino({
  level: process.env.NODE_ENV === "test" ? "silent" : "info",
  base: undefined,
  timestamp: pino.stdTimeFunctions.isoTime,
  mixin: () => ({ ...context.getStore() }),
  redact: { paths: REDACTED_KEYS.flatMap((key) => [key, `*.${key}`, `*.*.${key}`]), censor: "[redacted]" },
});

/** Runs `body` with `fields` attached to every log line written inside it (across awaits). */
export function withLogContext<T>(fields: LogFields, body: () => T): T {
  return context.run({ ...context.getStore(), ...fields }, body);
}

/** Adds fields (e.g. the installation once it is resolved) to the current request's or job's lines. */
export function addLogContext(fields: LogFields): void {
  const store = context.getStore();
  if (store) Object.assign(store, fields);
}

export function configureLogLevel(): void {
  log.level = env().LOG_LEVEL;
}

/**
 * What a log line (or a stored failure reason) says about anything thrown: its message, never its
 * stack or cause. `withName` prefixes the class for unexpected failures ("TypeError: …").
 */
export function errorSummary(error: unknown, options: { withName?: boolean } = {}): string {
  if (!(error instanceof Error)) return String(error);
  return options.withName ? `${error.name}: ${error.message}` : error.message;
}
