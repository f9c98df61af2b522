import { newId, type EmulatorContext } from "../context";
import type { Organization } from "../data/dataset";
import { nestError } from "../http/errors";
import { DEMO_APP } from "../oauth/app-registry";
import { integrationEventShape, type Integration } from "./integration-store";

/** "Add integration" in OfficeRnD's admin: a fresh, unconnected integration for some or all locations. */
export function addIntegration(context: EmulatorContext, { organization, locationIds }: { organization: Organization; locationIds: string[] }): Integration {
  const unknown = locationIds.filter((id) => !organization.locations.get(id));
  if (unknown.length > 0) throw nestError(400, `Unknown location(s) for ${organization.slug}: ${unknown.join(", ")}`);
  return context.state.integrations.create({
    _id: newId(context),
    orgSlug: organization.slug,
    appClientId: DEMO_APP.clientId,
    locations: [...new Set(locationIds)],
    user: organization.adminUserId,
    createdAt: context.clock.nowIso(),
  });
}

/**
 * "Remove integration": deletes it and publishes `integration.removed` (spec §3d) with the integration,
 * minus its secret, as `data.object`. Tokens and webhook subscriptions stay (what OfficeRnD revokes
 * is unconfirmed), but the secret can no longer be fetched.
 */
export function removeIntegration(context: EmulatorContext, integration: Integration) {
  context.state.integrations.remove(integration._id);
  return context.state.dispatcher.publish({ orgSlug: integration.orgSlug, eventType: "integration.removed", object: integrationEventShape(integration) });
}
