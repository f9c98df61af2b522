import "server-only";
import pino from "pino";
import { env } from "@/lib/env";

// Structured JSON logs. Anything that could hold a credential is redacted by key, wherever it nests.
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

export const log = pino({
  level: process.env.NODE_ENV === "test" ? "silent" : "info",
  base: undefined,
  redact: { paths: REDACTED_KEYS.flatMap((key) => [key, `*.${key}`, `*.*.${key}`]), censor: "[redacted]" },
});

/** Applies LOG_LEVEL once the environment has been validated. */
export function configureLogLevel(): void {
  log.level = env().LOG_LEVEL;
}
