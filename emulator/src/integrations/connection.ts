import { profile, type EmulatorContext } from "../context";
import { registeredRedirectUri } from "../oauth/app-registry";
import { partnerUrls } from "../options";
import type { Integration } from "./integration-store";

/** Records that the partner fetched the secret, one half of "connected". */
export function markSecretFetched(context: EmulatorContext, integration: Integration): void {
  integration.secretFetchedAt ??= context.clock.nowIso();
}

/**
 * Issues a one-minute authorization code for an integration and builds the partner's Connect URL
 * with OfficeRnD's four parameters (spec §2): code, org_slug, locations (comma-separated, "" for
 * all) and integrationId. This is what the Connect button opens in a 500×700 pop-up.
 */
export function startConnect(context: EmulatorContext, integration: Integration) {
  const { code, expiresAtMs } = context.state.tokens.issueCode({
    clientId: integration.appClientId,
    orgSlug: integration.orgSlug,
    integrationId: integration._id,
    redirectUri: registeredRedirectUri(context),
  });
  const url = new URL(partnerUrls(context.config.partnerUrl).connect);
  url.searchParams.set("code", code);
  url.searchParams.set("org_slug", integration.orgSlug);
  url.searchParams.set("locations", integration.locations.join(profile(context).locationSeparator));
  url.searchParams.set("integrationId", integration._id);
  return { code, expiresAt: new Date(expiresAtMs).toISOString(), connectUrl: url.toString() };
}
