import "server-only";
import type { z } from "zod";
import { AppError, type ErrorCode } from "@/lib/errors";
import { env } from "@/lib/env";
import {
  integrationSchema,
  locationsV1Schema,
  locationsV2PageSchema,
  organizationSchema,
  webhookCreatedSchema,
  webhooksV2PageSchema,
  type RemoteWebhook,
} from "@/lib/officernd/schemas";

// The OfficeRnD API calls of the Connect flow (spec §2 steps 2–4, §3f): the organisation and its
// region, the integration's signing secret, the location names, and webhook (un)subscription. Every
// call has a timeout (OFFICERND_HTTP_TIMEOUT_MS) and every answer is parsed with zod.

export type ApiFailure = "unauthorized" | "forbidden" | "not_found" | "rejected" | "rate_limited" | "unavailable" | "timeout" | "invalid_response";

const FAILURE_CODES: Record<ApiFailure, ErrorCode> = {
  unauthorized: "upstream_error",
  forbidden: "upstream_error",
  not_found: "upstream_error",
  rejected: "upstream_error",
  rate_limited: "unavailable",
  unavailable: "unavailable",
  timeout: "upstream_timeout",
  invalid_response: "upstream_error",
};

export class OfficeRndApiError extends AppError {
  readonly reason: ApiFailure;
  readonly httpStatus: number | null;

  constructor(reason: ApiFailure, message: string, options: { httpStatus?: number | null; cause?: unknown } = {}) {
    super(FAILURE_CODES[reason], message, { cause: options.cause });
    this.name = "OfficeRndApiError";
    this.reason = reason;
    this.httpStatus = options.httpStatus ?? null;
  }
}

export type Organization = { id: string; name: string; regionUrl: string };
export type RemoteLocation = { id: string; name: string };
export type CreatedWebhook = { remoteId: string; secret: string; eventTypes: string[] };

type Call = { url: string; accessToken: string; method?: "GET" | "POST" | "DELETE"; body?: unknown };

/** Base path of an organisation's v1 or v2 API at its region. */
function orgPath(regionUrl: string, version: "v1" | "v2", slug: string): string {
  return `${regionUrl.replace(/\/+$/, "")}/api/${version}/organizations/${encodeURIComponent(slug)}`;
}

/** `GET {OFFICERND_APP_URL}/api/v1/organizations/{slug}` → its name, id and region URL. */
export async function getOrganization({ slug, accessToken }: { slug: string; accessToken: string }): Promise<Organization> {
  const json = await callApi({ url: orgPath(env().OFFICERND_APP_URL, "v1", slug), accessToken });
  const organization = parse(organizationSchema, json, "organisation");
  return { id: organization._id, name: organization.name, regionUrl: organization.regionInfo.regionUrl.replace(/\/+$/, "") };
}

/**
 * The integration's signing secret (`settings.secret`), which differs per integration instance.
 * Throws OfficeRndApiError("not_found") when the integration or its secret is missing.
 */
export async function getIntegrationSecret(input: { regionUrl: string; slug: string; integrationId: string; accessToken: string }): Promise<string> {
  const query = new URLSearchParams({ appClientId: env().OFFICERND_CLIENT_ID });
  const url = `${orgPath(input.regionUrl, "v1", input.slug)}/integrations/${encodeURIComponent(input.integrationId)}?${query}`;
  const integration = parse(integrationSchema, await callApi({ url, accessToken: input.accessToken }), "integration");
  const secret = integration.settings?.secret;
  if (!secret) throw new OfficeRndApiError("not_found", "OfficeRnD returned the integration without its signing secret.");
  return secret;
}

/** Every location of the organisation: API v2 (paged by cursor), falling back to v1's bare array. */
export async function listLocations({ regionUrl, slug, accessToken }: { regionUrl: string; slug: string; accessToken: string }): Promise<RemoteLocation[]> {
  try {
    return await listLocationsV2({ regionUrl, slug, accessToken });
  } catch (error) {
    // v2 may be unavailable to a legacy-scoped token or older region: v1 answers the same names.
    if (!(error instanceof OfficeRndApiError) || !["not_found", "forbidden", "invalid_response"].includes(error.reason)) throw error;
    const json = await callApi({ url: `${orgPath(regionUrl, "v1", slug)}/locations`, accessToken });
    return parse(locationsV1Schema, json, "locations").map((location) => ({ id: location._id, name: location.name }));
  }
}

const V2_PAGE_LIMIT = 50;
const MAX_LIST_PAGES = 100;

async function listLocationsV2({ regionUrl, slug, accessToken }: { regionUrl: string; slug: string; accessToken: string }): Promise<RemoteLocation[]> {
  const locations: RemoteLocation[] = [];
  let cursor: string | null | undefined;
  for (let page = 0; page < MAX_LIST_PAGES; page++) {
    const query = new URLSearchParams({ $limit: String(V2_PAGE_LIMIT) });
    if (cursor) query.set("$cursorNext", cursor);
    const json = await callApi({ url: `${orgPath(regionUrl, "v2", slug)}/locations?${query}`, accessToken });
    const parsed = parse(locationsV2PageSchema, json, "locations page");
    locations.push(...parsed.results.map((location) => ({ id: location._id, name: location.name })));
    cursor = parsed.cursorNext;
    if (!cursor) return locations;
  }
  throw new OfficeRndApiError("invalid_response", "OfficeRnD's location list did not end.");
}

/** Registers one webhook subscription (v1; answers an array whose entries carry the `secret`). */
export async function createWebhook(input: {
  regionUrl: string;
  slug: string;
  accessToken: string;
  url: string;
  eventTypes: string[];
  description: string;
}): Promise<CreatedWebhook> {
  const json = await callApi({
    url: `${orgPath(input.regionUrl, "v1", input.slug)}/webhooks`,
    accessToken: input.accessToken,
    method: "POST",
    body: { url: input.url, eventTypes: input.eventTypes, enabled: true, description: input.description },
  });
  const created = parse(webhookCreatedSchema, json, "webhook");
  const ours: RemoteWebhook = created.find((webhook) => webhook.url === input.url) ?? created[0]!;
  return { remoteId: ours._id, secret: ours.secret, eventTypes: ours.eventTypes ?? input.eventTypes };
}

/** The organisation's webhook subscriptions (v2, paged by cursor): id and URL. */
export async function listWebhooks({
  regionUrl,
  slug,
  accessToken,
}: {
  regionUrl: string;
  slug: string;
  accessToken: string;
}): Promise<{ remoteId: string; url: string }[]> {
  const webhooks: { remoteId: string; url: string }[] = [];
  let cursor: string | null | undefined;
  for (let page = 0; page < MAX_LIST_PAGES; page++) {
    const query = new URLSearchParams({ $limit: String(V2_PAGE_LIMIT) });
    if (cursor) query.set("$cursorNext", cursor);
    const parsed = parse(webhooksV2PageSchema, await callApi({ url: `${orgPath(regionUrl, "v2", slug)}/webhooks?${query}`, accessToken }), "webhook list");
    webhooks.push(...parsed.results.map((webhook) => ({ remoteId: webhook._id, url: webhook.url })));
    cursor = parsed.cursorNext;
    if (!cursor) return webhooks;
  }
  throw new OfficeRndApiError("invalid_response", "OfficeRnD's webhook list did not end.");
}

/** Removes a webhook subscription (v2 `DELETE …/webhooks/{id}`); one that is already gone counts as removed. */
export async function deleteWebhook(input: { regionUrl: string; slug: string; accessToken: string; remoteId: string }): Promise<void> {
  try {
    await callApi({
      url: `${orgPath(input.regionUrl, "v2", input.slug)}/webhooks/${encodeURIComponent(input.remoteId)}`,
      accessToken: input.accessToken,
      method: "DELETE",
    });
  } catch (error) {
    if (error instanceof OfficeRndApiError && error.reason === "not_found") return;
    throw error;
  }
}

function parse<T extends z.ZodType>(schema: T, json: unknown, what: string): z.infer<T> {
  const result = schema.safeParse(json);
  if (!result.success) throw new OfficeRndApiError("invalid_response", `OfficeRnD sent a ${what} we could not read.`, { cause: result.error });
  return result.data;
}

async function callApi({ url, accessToken, method = "GET", body }: Call): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers: { authorization: `Bearer ${accessToken}`, accept: "application/json", ...(body === undefined ? {} : { "content-type": "application/json" }) },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(env().OFFICERND_HTTP_TIMEOUT_MS),
      cache: "no-store",
    });
  } catch (error) {
    const isTimeout = error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError");
    throw new OfficeRndApiError(isTimeout ? "timeout" : "unavailable", isTimeout ? "OfficeRnD did not answer in time." : "OfficeRnD could not be reached.", {
      cause: error,
    });
  }
  let json: unknown;
  try {
    json = await response.json();
  } catch (error) {
    if (response.ok)
      throw new OfficeRndApiError("invalid_response", "OfficeRnD sent a response that is not JSON.", { httpStatus: response.status, cause: error });
  }
  if (response.ok) return json;
  throw new OfficeRndApiError(failureOf(response.status), `OfficeRnD answered HTTP ${response.status}.`, { httpStatus: response.status });
}

function failureOf(status: number): ApiFailure {
  if (status === 401) return "unauthorized";
  if (status === 403) return "forbidden";
  if (status === 404) return "not_found";
  if (status === 429) return "rate_limited";
  if (status >= 500) return "unavailable";
  return "rejected";
}
