import { z } from "zod";
import { MAX_LOCATIONS } from "./data/organizations";
import { PROFILE_NAMES } from "./profiles";

// Start-up options (CLI flags, EMULATOR_* env vars, or startEmulator's argument) and the part of them
// that POST /_emulator/config may change at run time.

const url = z.url({ protocol: /^https?$/ }).transform((value) => value.replace(/\/+$/, ""));

export const runtimeConfigSchema = z.object({
  /** Token requests per minute per client id (0 = off). OfficeRnD: 5/min (third-party sources). */
  tokenRateLimit: z.int().min(0),
  /** API read requests per minute per organisation (0 = off). Real number unconfirmed. */
  readRateLimit: z.int().min(0),
  /** API write requests per minute per organisation (0 = off). Real number unconfirmed. */
  writeRateLimit: z.int().min(0),
  /** Access-token lifetime in seconds. */
  tokenLifetime: z.int().min(1),
  /** Refresh-token lifetime in seconds (unconfirmed; 30 days assumed). */
  refreshTokenLifetime: z.int().min(1),
  /** Top-level `id` and `createdAt` on webhook events (unconfirmed in the spec). */
  eventIds: z.boolean(),
  webhookRetryBaseMs: z.int().min(0),
  webhookTimeoutMs: z.int().min(1),
  webhookMaxAttempts: z.int().min(1).max(20),
  /** Wrap organizationId in literal quotes on Sync calls, the quirk of spec §6.3. */
  quoteSyncOrganizationId: z.boolean(),
  /** Permissions of the pre-registered developer application; scopes beyond them are refused. */
  appPermissions: z.array(z.enum(["read", "write"])),
  /** The partner's base URL; Connect/Configure/Healthcheck/Sync URLs hang off it. */
  partnerUrl: url,
  /** Which plausible OfficeRnD to be (src/profiles.ts, README "Profiles"). */
  profile: z.enum(PROFILE_NAMES),
});

export type RuntimeConfig = z.infer<typeof runtimeConfigSchema>;

export const optionsSchema = runtimeConfigSchema.extend({
  port: z.int().min(0).max(65_535),
  host: z.string().min(1),
  seed: z.int().min(0),
  members: z.int().min(0).max(50_000_000),
  companies: z.int().min(0).max(10_000_000),
  /**
   * Locations of acme-coworking; 4 = its fixed ones, more are generated after them (globex-spaces keeps 2).
   */
  locations: z.int().min(1).max(MAX_LOCATIONS),
  /** The emulator's own base URL as browsers and the app see it; default http://localhost:<port>. */
  publicUrl: url.optional(),
  /** Port of the second listener, the organisations' region host under the `region` profile (0 = random). */
  regionPort: z.int().min(0).max(65_535),
  /** That listener's base URL as the app sees it; default http://localhost:<region port>. */
  regionUrl: url.optional(),
  /** Log each request to stderr. */
  verbose: z.boolean(),
});

export type EmulatorOptions = z.infer<typeof optionsSchema>;

export const DEFAULT_OPTIONS: EmulatorOptions = {
  port: 4010,
  host: "127.0.0.1",
  seed: 1,
  members: 250,
  companies: 40,
  locations: 4,
  partnerUrl: "http://localhost:3000",
  publicUrl: undefined,
  tokenRateLimit: 5,
  readRateLimit: 600,
  writeRateLimit: 300,
  tokenLifetime: 3600,
  refreshTokenLifetime: 30 * 86_400,
  eventIds: true,
  webhookRetryBaseMs: 1000,
  webhookTimeoutMs: 5000,
  webhookMaxAttempts: 6,
  quoteSyncOrganizationId: true,
  appPermissions: ["read", "write"],
  profile: "v2",
  regionPort: 0,
  regionUrl: undefined,
  verbose: false,
};

export function resolveOptions(input: Partial<EmulatorOptions>): EmulatorOptions {
  const defined = Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined));
  return optionsSchema.parse({ ...DEFAULT_OPTIONS, ...defined });
}

export function pickRuntimeConfig(options: EmulatorOptions): RuntimeConfig {
  return runtimeConfigSchema.parse(
    Object.fromEntries(
      Object.keys(runtimeConfigSchema.shape).map((key) => [key, options[key as keyof EmulatorOptions]]),
    ),
  );
}

/** The URLs the partner registered with OfficeRnD (spec §2), derived from its base URL. */
export function partnerUrls(partnerUrl: string) {
  return {
    connect: `${partnerUrl}/connect`,
    configure: `${partnerUrl}/configure`,
    healthcheck: `${partnerUrl}/api/officernd/healthcheck`,
    sync: `${partnerUrl}/api/officernd/sync`,
  };
}
