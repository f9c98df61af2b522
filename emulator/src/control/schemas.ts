import type { IncomingMessage } from "node:http";
import { z } from "zod";
import { nestError } from "../http/errors";
import { readJsonBody } from "../http/request";
import { MAX_LOCATIONS } from "../data/organizations";
import { runtimeConfigSchema } from "../options";

// Bodies of the control API (/_emulator/*), validated strictly so a typo in a test fails loudly.

export const resetSchema = z
  .object({
    seed: z.int().min(0).optional(),
    members: z.int().min(0).max(50_000_000).optional(),
    companies: z.int().min(0).max(10_000_000).optional(),
    locations: z.int().min(1).max(MAX_LOCATIONS).optional(),
  })
  .strict();

export const clockSchema = z.object({ seconds: z.number() }).strict();

export const configSchema = runtimeConfigSchema.partial().strict();

export const integrationSchema = z
  .object({ org: z.string(), locations: z.array(z.string()).optional() })
  .strict();

/**
 * The admin edits the integration's locations; a test may also set what its `settings.appClientId` says (null
 * = none).
 */
export const integrationLocationsSchema = z
  .object({
    locations: z.array(z.string()).optional(),
    settingsAppClientId: z.string().min(1).nullable().optional(),
  })
  .strict()
  .refine(
    (body) => body.locations !== undefined || body.settingsAppClientId !== undefined,
    "locations or settingsAppClientId is required",
  );

export const webhookDropsSchema = z.object({ count: z.int().min(1).optional() }).strict();

export const authorizationCodeSchema = z.object({ integrationId: z.string() }).strict();

export const tokenSchema = z
  .object({ org: z.string(), scope: z.string(), integrationId: z.string().optional() })
  .strict();

export const signedCallSchema = z
  .object({
    integrationId: z.string(),
    target: z.enum(["healthcheck", "configure", "sync"]),
    enabled: z.boolean().optional(),
    memberId: z.string().nullable().optional(),
    timestampOffset: z.int().optional(),
    quoteOrganizationId: z.boolean().optional(),
  })
  .strict();

export const activitySchema = z
  .object({
    org: z.string(),
    count: z.int().min(1).max(10_000).optional(),
    locations: z.array(z.string()).optional(),
  })
  .strict();

export const recordFieldsSchema = z.record(z.string(), z.unknown());

export async function parseBody<T>(req: IncomingMessage, schema: z.ZodType<T>): Promise<T> {
  const result = schema.safeParse(await readJsonBody(req));
  if (!result.success)
    throw nestError(
      400,
      result.error.issues.map((issue) => `${issue.path.join(".") || "body"}: ${issue.message}`),
    );
  return result.data;
}
