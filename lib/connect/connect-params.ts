import { z } from "zod";

// The Connect URL's query (spec §2): code, org_slug, locations (comma-separated ids, "" = every
// location) and integrationId. No `locations` at all means "the integration's own list" (issue 11 §4),
// so absent (null) and "" ([]) stay distinct.

const remoteId = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9_-]+$/, "must be an OfficeRnD id");

export const connectParamsSchema = z.object({
  code: z.string().min(1).max(4096),
  org_slug: z
    .string()
    .min(1)
    .max(100)
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, "must be an organisation slug"),
  integrationId: remoteId,
  locations: z
    .string()
    .max(20_000)
    .optional()
    .transform((value) => (value === undefined ? null : toLocationIds(value)))
    .pipe(z.array(remoteId).max(1000).nullable()),
});

export type ConnectParams = z.infer<typeof connectParamsSchema>;

/** Distinct, sorted ids; empty means "all locations". */
export function toLocationIds(value: string): string[] {
  return [...new Set(value.split(",").map((id) => id.trim()))].filter((id) => id !== "").sort();
}

/** `Installation.locationsKey`: sorted, comma-joined ids ("" = every location of the organisation). */
export function locationsKeyOf(ids: readonly string[]): string {
  return [...ids].sort().join(",");
}

/** Parses the raw query; a repeated parameter is refused rather than guessed at. */
export function parseConnectParams(
  query: URLSearchParams,
): { ok: true; params: ConnectParams } | { ok: false; problem: string } {
  const keys = [...query.keys()];
  const repeated = keys.find((key, index) => keys.indexOf(key) !== index);
  if (repeated) return { ok: false, problem: `${repeated} is repeated` };
  const result = connectParamsSchema.safeParse(Object.fromEntries(query));
  if (result.success) return { ok: true, params: result.data };
  const issue = result.error.issues[0];
  return { ok: false, problem: `${issue?.path.join(".") || "query"}: ${issue?.message ?? "invalid"}` };
}
