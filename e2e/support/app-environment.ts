// The environment of every app instance and worker the end-to-end run starts: production mode, the
// emulator as OfficeRnD, the demo partner application. Callers pass what differs between them.
import { randomBytes } from "node:crypto";

export type AppEnvironmentInput = {
  databaseUrl: string;
  appUrl: string;
  emulatorUrl: string;
  /** Defaults to a fresh random secret; pass one to share sessions and ciphertexts between processes. */
  nextAuthSecret?: string;
  /** Defaults to a fresh key labelled `e2e`. */
  encryptionKey?: string;
  logLevel?: string;
};

export function appEnvironment(
  input: AppEnvironmentInput,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
    DATABASE_URL: input.databaseUrl,
    APP_URL: input.appUrl,
    NEXTAUTH_SECRET: input.nextAuthSecret ?? randomBytes(32).toString("hex"),
    ENCRYPTION_KEY: input.encryptionKey ?? `e2e:${randomBytes(32).toString("base64")}`,
    OFFICERND_IDENTITY_URL: input.emulatorUrl,
    OFFICERND_APP_URL: input.emulatorUrl,
    OFFICERND_CLIENT_ID: "demo-partner-app",
    OFFICERND_CLIENT_SECRET: "demo-partner-secret",
    LOG_LEVEL: input.logLevel ?? "info",
    ...extra,
  };
}
