import { parseArgs } from "node:util";
import type { EmulatorOptions } from "./options";

// CLI flags, each also readable from an EMULATOR_* environment variable (flags win).

const NUMERIC = {
  port: "port",
  seed: "seed",
  members: "members",
  companies: "companies",
  locations: "locations",
  "token-rate-limit": "tokenRateLimit",
  "read-rate-limit": "readRateLimit",
  "write-rate-limit": "writeRateLimit",
  "token-lifetime": "tokenLifetime",
  "webhook-retry-base-ms": "webhookRetryBaseMs",
  "webhook-timeout-ms": "webhookTimeoutMs",
  "webhook-max-attempts": "webhookMaxAttempts",
  "region-port": "regionPort",
} as const;

const TEXT = {
  host: "host",
  "partner-url": "partnerUrl",
  "public-url": "publicUrl",
  "region-url": "regionUrl",
  profile: "profile",
} as const;

export const USAGE = `Usage: npm run emulator -- [flags]
  --port N                 (default 4010; 0 = random free port)      EMULATOR_PORT
  --host H                 (default 127.0.0.1)                       EMULATOR_HOST
  --seed N                 (default 1)                               EMULATOR_SEED
  --members N              members per organisation (default 250)    EMULATOR_MEMBERS
  --companies N            companies per organisation (default 40)   EMULATOR_COMPANIES
  --locations N            acme-coworking locations (default 4)      EMULATOR_LOCATIONS
  --partner-url URL        (default http://localhost:3000)           EMULATOR_PARTNER_URL
  --public-url URL         (default http://localhost:<port>)         EMULATOR_PUBLIC_URL
  --profile NAME           v2 | v1-only | v1-webhooks | sparse | region | locations-change (v2)
                                                                     EMULATOR_PROFILE
  --region-port N          the region host's port (0 = random)       EMULATOR_REGION_PORT
  --region-url URL         (default http://localhost:<region port>)  EMULATOR_REGION_URL
  --token-rate-limit N     token requests/min per client (5; 0=off)  EMULATOR_TOKEN_RATE_LIMIT
  --read-rate-limit N      API reads/min per org (600; 0=off)        EMULATOR_READ_RATE_LIMIT
  --write-rate-limit N     API writes/min per org (300; 0=off)       EMULATOR_WRITE_RATE_LIMIT
  --token-lifetime S       access-token lifetime (3600)              EMULATOR_TOKEN_LIFETIME
  --webhook-retry-base-ms N  first retry delay, doubling (1000)      EMULATOR_WEBHOOK_RETRY_BASE_MS
  --webhook-timeout-ms N   per-attempt timeout (5000)                EMULATOR_WEBHOOK_TIMEOUT_MS
  --webhook-max-attempts N (6)                                       EMULATOR_WEBHOOK_MAX_ATTEMPTS
  --no-event-ids           omit top-level id/createdAt in webhooks   EMULATOR_EVENT_IDS=false
  --no-quoted-sync-org-id  send organizationId unquoted on Sync      EMULATOR_QUOTED_SYNC_ORG_ID=false
  --verbose                log requests to stderr                    EMULATOR_VERBOSE=true`;

function envName(flag: string): string {
  return `EMULATOR_${flag.toUpperCase().replace(/-/g, "_")}`;
}

function envBoolean(env: NodeJS.ProcessEnv, name: string): boolean | undefined {
  const value = env[name];
  if (value === undefined || value === "") return undefined;
  return !["0", "false", "no", "off"].includes(value.toLowerCase());
}

/** Raw options from argv and env; validation happens in resolveOptions. */
export function parseCliOptions(
  argv: string[],
  env: NodeJS.ProcessEnv,
): { help: boolean; options: Partial<EmulatorOptions> } {
  const flags = [...Object.keys(NUMERIC), ...Object.keys(TEXT)];
  const { values } = parseArgs({
    args: argv,
    options: {
      ...Object.fromEntries(flags.map((flag) => [flag, { type: "string" as const }])),
      "no-event-ids": { type: "boolean" },
      "no-quoted-sync-org-id": { type: "boolean" },
      verbose: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
    strict: true,
  });
  const raw = values as Record<string, string | boolean | undefined>;
  const options: Record<string, unknown> = {};
  for (const [flag, key] of Object.entries(NUMERIC)) {
    const value = raw[flag] ?? env[envName(flag)];
    if (typeof value === "string" && value !== "") options[key] = Number(value);
  }
  for (const [flag, key] of Object.entries(TEXT)) {
    const value = raw[flag] ?? env[envName(flag)];
    if (typeof value === "string" && value !== "") options[key] = value;
  }
  options.eventIds = raw["no-event-ids"] ? false : envBoolean(env, "EMULATOR_EVENT_IDS");
  options.quoteSyncOrganizationId = raw["no-quoted-sync-org-id"]
    ? false
    : envBoolean(env, "EMULATOR_QUOTED_SYNC_ORG_ID");
  options.verbose = raw.verbose === true ? true : envBoolean(env, "EMULATOR_VERBOSE");
  return { help: raw.help === true, options: options as Partial<EmulatorOptions> };
}
