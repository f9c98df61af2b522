import { z } from "zod";

// zod schemas for what OfficeRnD's identity server and API v1 answer in the Connect flow
// (docs: /work/shared/spec/officernd-api.md §1, §2, §3f). Objects are loose: OfficeRnD adds fields
// freely, and we only depend on the ones named here.

/** RFC 6749 §5.1 token response; `refresh_token` comes with authorization_code and refresh grants. */
export const tokenResponseSchema = z.object({
  access_token: z.string().min(1),
  token_type: z.string().optional(),
  expires_in: z.coerce.number().int().positive(),
  scope: z.string().optional(),
  refresh_token: z.string().min(1).optional(),
});
export type TokenResponse = z.infer<typeof tokenResponseSchema>;

/** RFC 6749 §5.2 error body (OfficeRnD's exact shape is unconfirmed, so every field is optional). */
export const oauthErrorSchema = z.object({
  error: z.string().optional(),
  error_description: z.string().optional(),
});

/** `GET /api/v1/organizations/{slug}`: the org and the region every later call goes to. */
export const organizationSchema = z.object({
  _id: z.string().min(1),
  name: z.string().min(1),
  regionInfo: z.object({ regionUrl: z.url({ protocol: /^https?$/ }) }),
});

/** `GET {region}/api/v1/organizations/{slug}/integrations/{id}?appClientId=…` → `settings.secret`. */
export const integrationSchema = z.object({
  _id: z.string().optional(),
  settings: z.object({ secret: z.string().nullish(), appClientId: z.string().nullish() }).nullish(),
  // Ids, or populated location objects; null/absent means OfficeRnD did not say.
  locations: z
    .array(z.union([z.string(), z.looseObject({ _id: z.string() }).transform((location) => location._id)]))
    .nullish(),
});

export const locationSchema = z.object({ _id: z.string().min(1), name: z.string() });

/** API v2 list page (`{results, cursorNext}`); v1 lists are bare arrays. */
export const locationsV2PageSchema = z.object({
  results: z.array(locationSchema),
  cursorNext: z.string().nullish(),
});
export const locationsV1Schema = z.array(locationSchema);

const webhookSchema = z.object({
  _id: z.string().min(1),
  url: z.string().optional(),
  secret: z.string().min(1),
  eventTypes: z.array(z.string()).optional(),
});
export type RemoteWebhook = z.infer<typeof webhookSchema>;

/** v1 `POST …/webhooks` answers an array (the official sample reads `[0].secret`); v2 a single object. */
export const webhookCreatedSchema = z.union([
  z.array(webhookSchema).min(1),
  webhookSchema.transform((webhook) => [webhook]),
]);

/** One entry of `GET …/webhooks` (v1 or v2; only what a clean-up needs). */
export const webhookListItemSchema = z.looseObject({ _id: z.string().min(1), url: z.string().nullish() });
