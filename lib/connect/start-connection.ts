import "server-only";
import { parseConnectParams, locationsKeyOf, type ConnectParams } from "@/lib/connect/connect-params";
import { ConnectFailure, failureReasonOf, type FailureReason } from "@/lib/connect/failures";
import { trustedRegionUrl } from "@/lib/connect/trusted-region";
import { resolveLocationNames, type NamedLocation } from "@/lib/connect/location-names";
import { createPending, markPendingFailed, markPendingReady, sweepPendingConnections } from "@/lib/connect/pending";
import { hashState, newState } from "@/lib/connect/state";
import { log } from "@/lib/log";
import { getIntegrationSecret, getOrganization, listLocations, OfficeRndApiError } from "@/lib/officernd/api-v1";
import { exchangeAuthorizationCode } from "@/lib/officernd/identity";

// GET /connect, server side: validate OfficeRnD's parameters, open a pending connection bound to this
// browser, and at once (codes live about a minute) exchange the code, find the organisation's region,
// fetch the integration's signing secret and the location names. The admin confirms afterwards.

export type StartResult =
  | { kind: "invalid"; problem: string }
  /** `failure` is null when the connection is ready to confirm; the page shows it either way. */
  | { kind: "started"; pendingId: string; state: string; failure: FailureReason | null };

export async function startConnection(query: URLSearchParams): Promise<StartResult> {
  const parsed = parseConnectParams(query);
  if (!parsed.ok) {
    log.warn({ reason: "invalid_request", problem: parsed.problem }, "connect failed");
    return { kind: "invalid", problem: parsed.problem };
  }
  const { params } = parsed;
  await sweepPendingConnections().catch((error: unknown) => log.warn({ err: String(error) }, "sweeping pending connections failed"));
  const state = newState();
  const pendingId = await createPending({
    stateHash: hashState(state),
    orgSlug: params.org_slug,
    integrationId: params.integrationId,
    locationsKey: locationsKeyOf(params.locations),
  });
  const context = { pendingId, orgSlug: params.org_slug, integrationId: params.integrationId };
  let regionUrl: string | null = null;
  try {
    const tokens = await exchangeAuthorizationCode({ code: params.code });
    const organization = await getOrganization({ slug: params.org_slug, accessToken: tokens.accessToken });
    // No token goes to a region that is not OfficeRnD's (issue 12, item 5).
    regionUrl = trustedRegionUrl(organization.regionUrl);
    const access = { regionUrl, slug: params.org_slug, accessToken: tokens.accessToken };
    const [secret, locations] = await Promise.all([fetchSecret({ ...access, integrationId: params.integrationId }), fetchLocationNames(access, params)]);
    await markPendingReady(pendingId, {
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
    log.info({ ...context, locations: locations.length }, "connect started");
    return { kind: "started", pendingId, state, failure: null };
  } catch (error) {
    const reason = failureReasonOf(error);
    log.warn({ ...context, reason, detail: error instanceof Error ? error.message : String(error) }, "connect failed");
    await markPendingFailed(pendingId, reason, { regionUrl });
    return { kind: "started", pendingId, state, failure: reason };
  }
}

async function fetchSecret(input: { regionUrl: string; slug: string; integrationId: string; accessToken: string }): Promise<string> {
  try {
    return await getIntegrationSecret(input);
  } catch (error) {
    if (error instanceof OfficeRndApiError && error.reason === "not_found") throw new ConnectFailure("secret_not_found", error.message);
    throw error;
  }
}

/** Names for the confirmation screen; specific locations fall back to their ids if the list fails. */
async function fetchLocationNames(access: { regionUrl: string; slug: string; accessToken: string }, params: ConnectParams): Promise<NamedLocation[]> {
  try {
    return resolveLocationNames({ requested: params.locations, known: await listLocations(access) });
  } catch (error) {
    if (params.locations.length === 0) throw error;
    log.warn({ orgSlug: params.org_slug, detail: error instanceof Error ? error.message : String(error) }, "location names unavailable; using ids");
    return resolveLocationNames({ requested: params.locations, known: null });
  }
}
