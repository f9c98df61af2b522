import "server-only";
import { createHash, timingSafeEqual } from "node:crypto";
import { hit } from "@/lib/auth/throttle";
import { parseConnectParams, locationsKeyOf, toLocationIds } from "@/lib/connect/connect-params";
import { ConnectFailure, failureReasonOf, type FailureReason } from "@/lib/connect/failures";
import { trustedRegionUrl } from "@/lib/connect/trusted-region";
import { resolveLocationNames, type NamedLocation } from "@/lib/connect/location-names";
import {
  createPending,
  markPendingFailed,
  markPendingReady,
  sweepPendingConnections,
} from "@/lib/connect/pending";
import { hashState, newState } from "@/lib/connect/state";
import { env } from "@/lib/env";
import { errorSummary, log } from "@/lib/log";
import {
  createOrgApi,
  type OrgApi,
  type RemoteIntegration,
  type RemoteLocation,
} from "@/lib/officernd/org-api";
import { getOrganization } from "@/lib/officernd/organization";
import { exchangeAuthorizationCode } from "@/lib/officernd/token-endpoint";
import { isOfficeRndError } from "@/lib/officernd/upstream-failures";

// GET /connect, server side: at once (codes live about a minute) exchange the code, find the region, fetch
// the integration's secret and the location names, and open a pending connection bound to this browser.
// The exchange draws from OfficeRnD's token budget (5 a minute for the whole client), so exchanges are
// limited per client IP and nothing is stored before one succeeded.

export type StartResult =
  | { kind: "invalid"; problem: string }
  /** Refused before anything was stored (too many attempts, the code exchange failed or found no slot). */
  | { kind: "refused"; reason: FailureReason; retryAfterSeconds: number | null }
  /** `failure` is null when the connection is ready to confirm; the page shows it either way. */
  | { kind: "started"; pendingId: string; state: string; failure: FailureReason | null };

const EXCHANGE_WINDOW_MS = 60_000;
/** The admin is waiting in the popup: one retry per call at most. */
export const CONNECT_POLICY = { maxAttempts: 2 } as const;

export async function startConnection(
  query: URLSearchParams,
  { clientIp = null }: { clientIp?: string | null } = {},
): Promise<StartResult> {
  const parsed = parseConnectParams(query);
  if (!parsed.ok) {
    log.warn({ reason: "invalid_request", problem: parsed.problem }, "connect failed");
    return { kind: "invalid", problem: parsed.problem };
  }
  const { params } = parsed;
  const limit = env().CONNECT_CODE_EXCHANGES_PER_IP_PER_MINUTE;
  if (limit > 0) {
    // Addresses are kept hashed; callers without one share a bucket (they cannot flood either).
    const key = `connect:ip:${createHash("sha256")
      .update(clientIp ?? "unknown")
      .digest("hex")
      .slice(0, 32)}`;
    if ((await hit(key, { max: limit, windowMs: EXCHANGE_WINDOW_MS })) > limit) {
      log.warn({ reason: "too_many_attempts", orgSlug: params.org_slug }, "connect failed");
      return { kind: "refused", reason: "too_many_attempts", retryAfterSeconds: EXCHANGE_WINDOW_MS / 1000 };
    }
  }
  let tokens;
  try {
    tokens = await exchangeAuthorizationCode({ code: params.code });
  } catch (error) {
    const reason = failureReasonOf(error);
    const retryAfterMs = isOfficeRndError(error) ? error.retryAfterMs : null;
    log.warn(
      { orgSlug: params.org_slug, integrationId: params.integrationId, reason, detail: errorSummary(error) },
      "connect failed",
    );
    return {
      kind: "refused",
      reason,
      retryAfterSeconds: retryAfterMs === null ? null : Math.max(1, Math.ceil(retryAfterMs / 1000)),
    };
  }
  await sweepPendingConnections().catch((error: unknown) =>
    log.warn({ err: String(error) }, "sweeping pending connections failed"),
  );
  const state = newState();
  const pendingId = await createPending({
    stateHash: hashState(state),
    orgSlug: params.org_slug,
    integrationId: params.integrationId,
    // Provisional when OfficeRnD left `locations` out: replaced by the integration's own list once read.
    locationsKey: locationsKeyOf(params.locations ?? []),
  });
  const context = { pendingId, orgSlug: params.org_slug, integrationId: params.integrationId };
  let regionUrl: string | null = null;
  // The location list is read beside the integration; if the flow ends first (a failure), its call and
  // retries are abandoned, so nothing of this Connect reaches OfficeRnD afterwards.
  const abandon = new AbortController();
  try {
    const organization = await getOrganization({
      slug: params.org_slug,
      accessToken: tokens.accessToken,
      deps: { policy: CONNECT_POLICY },
    });
    // No token goes to a region that is not OfficeRnD's (issue 12, item 5).
    regionUrl = trustedRegionUrl(organization.regionUrl);
    const api = createOrgApi(
      { orgSlug: params.org_slug, regionUrl, accessToken: tokens.accessToken },
      { policy: CONNECT_POLICY, signal: abandon.signal },
    );
    const known = api.listLocations();
    // Handled below; keeps an early failure of the list from going unhandled while the integration is read.
    known.catch(() => undefined);
    const integration = await readOwnIntegration(api, params.integrationId);
    // No `locations` parameter at all: the integration's own list (none there = every location).
    const chosen = params.locations ?? toLocationIds((integration.locations ?? []).join(","));
    const locations = await fetchLocationNames(known, { orgSlug: params.org_slug, chosen });
    const secret = integration.secret;
    await markPendingReady(pendingId, {
      locationsKey: locationsKeyOf(chosen),
      orgId: organization.id,
      orgName: organization.name,
      regionUrl,
      locations,
      credentials: {
        accessToken: tokens.accessToken,
        refreshToken: tokens.refreshToken,
        scope: tokens.scope,
        expiresAt: tokens.expiresAt.toISOString(),
        secret,
      },
    });
    log.info({ ...context, locations: locations.length, apiGeneration: api.generation() }, "connect started");
    return { kind: "started", pendingId, state, failure: null };
  } catch (error) {
    const reason = failureReasonOf(error);
    log.warn({ ...context, reason, detail: errorSummary(error) }, "connect failed");
    await markPendingFailed(pendingId, reason, { regionUrl });
    return { kind: "started", pendingId, state, failure: reason };
  } finally {
    abandon.abort();
  }
}

/**
 * The integration as OfficeRnD has it, with its signing secret (`settings.secret`, per integration
 * instance). When it names the app it belongs to (`settings.appClientId`), that must be us.
 */
async function readOwnIntegration(
  api: OrgApi,
  integrationId: string,
): Promise<RemoteIntegration & { secret: string }> {
  const integration = await api.getIntegration(integrationId);
  if (!integration)
    throw new ConnectFailure(
      "secret_not_found",
      "OfficeRnD does not know the integration (for our client id).",
    );
  if (integration.appClientId !== null && !sameClientId(integration.appClientId, env().OFFICERND_CLIENT_ID))
    throw new ConnectFailure(
      "wrong_app",
      "The integration's settings.appClientId is another application's client id.",
    );
  if (!integration.secret)
    throw new ConnectFailure(
      "secret_not_found",
      "OfficeRnD returned the integration without its signing secret.",
    );
  return { ...integration, secret: integration.secret };
}

/** Client ids are not secret, but compared in constant time like every identifier we match on. */
function sameClientId(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** Names for the confirmation screen; specific locations fall back to their ids if the list fails. */
async function fetchLocationNames(
  known: Promise<RemoteLocation[]>,
  { orgSlug, chosen }: { orgSlug: string; chosen: string[] },
): Promise<NamedLocation[]> {
  try {
    return resolveLocationNames({ requested: chosen, known: await known });
  } catch (error) {
    if (chosen.length === 0) throw error;
    log.warn({ orgSlug, detail: errorSummary(error) }, "location names unavailable; using ids");
    return resolveLocationNames({ requested: chosen, known: null });
  }
}
