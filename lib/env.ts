import "server-only";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";

// The only module that reads process.env. Parsed lazily (a `next build` needs no runtime secrets) and
// once; an invalid value stops start-up with one message naming the variable (see instrumentation.ts).

/** Generated dev secrets carry this prefix so production can recognise and refuse them. */
export const DEV_SECRET_PREFIX = "dev-generated-";
const DEV_SECRETS_FILE = path.join(process.cwd(), ".data", "dev-secrets.json");
const EMULATOR_URL = "http://localhost:4010";

const booleanString = z
  .enum(["true", "false", "1", "0"])
  .transform((value) => value === "true" || value === "1");
const url = z.url({ protocol: /^https?$/ }).transform((value) => value.replace(/\/+$/, ""));

const schema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }),
  APP_URL: url.default("http://localhost:3000"),
  NEXTAUTH_SECRET: z.string().min(32, "must be at least 32 characters"),
  ENCRYPTION_KEY: z
    .string()
    .regex(
      /^([A-Za-z0-9_-]+:[A-Za-z0-9+/=_-]{43,44})(,[A-Za-z0-9_-]+:[A-Za-z0-9+/=_-]{43,44})*$/,
      "must be a comma-separated list of <keyId>:<base64 32-byte key>, newest first",
    ),
  OFFICERND_IDENTITY_URL: url,
  OFFICERND_APP_URL: url,
  OFFICERND_CLIENT_ID: z.string().min(1),
  OFFICERND_CLIENT_SECRET: z.string().min(1),
  OFFICERND_SCOPES: z.string().min(1).default("officernd.api.read officernd.api.write"),
  /** Which OfficeRnD API generation to call: auto tries v2 and falls back to v1 per installation. */
  OFFICERND_API: z.enum(["auto", "v1", "v2"]).default("auto"),
  /** Requests per minute to OfficeRnD's token endpoint, shared by every instance and worker. */
  OFFICERND_TOKEN_REQUESTS_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(5),
  /** Authorization-code exchanges per client IP per minute on GET /connect (0 = no limit). */
  CONNECT_CODE_EXCHANGES_PER_IP_PER_MINUTE: z.coerce.number().int().min(0).default(3),
  OFFICERND_FRAME_ORIGINS: z.string().default(""),
  OFFICERND_HTTP_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
  /** Requests per minute to one OfficeRnD organisation's API, shared by every worker (0 = no budget). */
  OFFICERND_API_REQUESTS_PER_MINUTE: z.coerce.number().int().min(0).default(300),
  // Public endpoints, per app instance (in-process): N instances admit at most N × these. 0 = off.
  RATE_LIMIT_PER_IP_PER_MINUTE: z.coerce.number().int().min(0).default(600),
  RATE_LIMIT_PER_ORG_PER_MINUTE: z.coerce.number().int().min(0).default(1200),
  /** Failed verifications (signed requests, Connect codes) per client IP and minute; then 429 before work. */
  RATE_LIMIT_FAILED_VERIFICATIONS_PER_IP_PER_MINUTE: z.coerce.number().int().min(0).default(30),
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(32).default(2),
  SIGNATURE_TOLERANCE_SECONDS: z.coerce.number().int().min(1).max(3600).default(300),
  SIGNATURE_FUTURE_TOLERANCE_SECONDS: z.coerce.number().int().min(0).max(600).default(30),
  /** Days a processed webhook event keeps its payload (then only ids, type and times remain). */
  WEBHOOK_PAYLOAD_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(7),
  /** Minutes between webhook-gap checks per installation (0 = off). */
  WEBHOOK_RECONCILE_MINUTES: z.coerce.number().int().min(0).max(1440).default(15),
  /** Mass-delete breaker: a full pass removing more than this % of a location's records stops for review. */
  SYNC_DELETE_GUARD_PERCENT: z.coerce.number().min(0).max(100).default(20),
  /** …or more than this many records at once. */
  SYNC_DELETE_GUARD_MAX: z.coerce.number().int().min(0).default(500),
  ALLOW_MULTIPLE_ACCOUNTS_PER_ORG: booleanString.default(true),
  /** Required by the app server in production (lib/startup.ts); `/api/metrics` answers 401 without it. */
  METRICS_TOKEN: z.string().min(16).optional(),
  /** Proxies in front that append to X-Forwarded-For (0: ignore it, use the connection's address). */
  TRUSTED_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
  /**
   * Hosts OfficeRnD may name as an organisation's region (`regionInfo.regionUrl`), comma-separated,
   * `*.` for any subdomain. The host of OFFICERND_APP_URL is always trusted as well.
   */
  OFFICERND_REGION_HOSTS: z
    .string()
    .default("*.officernd.com")
    .transform((value) =>
      value
        .split(",")
        .map((entry) => entry.trim().toLowerCase())
        .filter((entry) => entry !== ""),
    )
    .pipe(
      z
        .array(z.string().regex(/^(\*\.)?[a-z0-9.-]+$/, "must be host names, optionally starting with *."))
        .min(1),
    ),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
});

export type Env = z.infer<typeof schema>;

/** Secrets dev needs, generated once into .data/ and reused, so no .env file is ever required. */
function devSecrets(): Record<string, string> {
  if (existsSync(DEV_SECRETS_FILE))
    return JSON.parse(readFileSync(DEV_SECRETS_FILE, "utf8")) as Record<string, string>;
  const secrets = {
    NEXTAUTH_SECRET: DEV_SECRET_PREFIX + randomBytes(32).toString("hex"),
    ENCRYPTION_KEY: `${DEV_SECRET_PREFIX}k1:${randomBytes(32).toString("base64")}`,
  };
  mkdirSync(path.dirname(DEV_SECRETS_FILE), { recursive: true });
  writeFileSync(DEV_SECRETS_FILE, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}

const PRODUCTION_DEFAULTS = {
  OFFICERND_IDENTITY_URL: "https://identity.officernd.com",
  OFFICERND_APP_URL: "https://app.officernd.com",
};
const DEVELOPMENT_DEFAULTS = {
  OFFICERND_IDENTITY_URL: EMULATOR_URL,
  OFFICERND_APP_URL: EMULATOR_URL,
  // The emulator's pre-registered developer application (emulator/README.md).
  OFFICERND_CLIENT_ID: "demo-partner-app",
  OFFICERND_CLIENT_SECRET: "demo-partner-secret",
};

export function parseEnv(source: Record<string, string | undefined>): Env {
  const isProduction = source.NODE_ENV === "production";
  const defined = Object.fromEntries(
    Object.entries(source).filter(([, value]) => value !== undefined && value !== ""),
  );
  const input = isProduction
    ? { ...PRODUCTION_DEFAULTS, ...defined }
    : { ...DEVELOPMENT_DEFAULTS, ...lazyDevSecrets(defined), ...defined };
  const result = schema.safeParse(input);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`);
    throw new Error(`Invalid configuration (see README, "Configuration"):\n${problems.join("\n")}`);
  }
  if (isProduction) refuseDevSecrets(result.data);
  return result.data;
}

function lazyDevSecrets(defined: Record<string, string | undefined>): Record<string, string> {
  return defined.NEXTAUTH_SECRET && defined.ENCRYPTION_KEY ? {} : devSecrets();
}

function refuseDevSecrets(env: Env): void {
  const offenders = (["NEXTAUTH_SECRET", "ENCRYPTION_KEY"] as const).filter((name) =>
    env[name].includes(DEV_SECRET_PREFIX),
  );
  if (offenders.length > 0) {
    throw new Error(
      `Invalid configuration: ${offenders.join(", ")} hold a generated development value; production needs real secrets.`,
    );
  }
}

let cached: Env | undefined;

export function env(): Env {
  if (cached) return cached;
  cached = parseEnv(process.env);
  // next-auth 4 reads these two from process.env itself.
  process.env.NEXTAUTH_URL ??= cached.APP_URL;
  process.env.NEXTAUTH_SECRET ??= cached.NEXTAUTH_SECRET;
  return cached;
}

export function resetEnvForTests(): void {
  cached = undefined;
}
