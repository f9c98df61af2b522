import { newId, profile, type EmulatorContext } from "../context";
import type { Organization } from "../data/dataset";
import { nestError } from "../http/errors";
import { DEMO_APP } from "../oauth/app-registry";
import { integrationEventShape, isConnected, type Integration } from "./integration-store";

function checkLocations(organization: Organization, locationIds: string[]): void {
  const unknown = locationIds.filter((id) => !organization.locations.get(id));
  if (unknown.length > 0)
    throw nestError(400, `Unknown location(s) for ${organization.slug}: ${unknown.join(", ")}`);
}

/** The admin edits the integration's locations in OfficeRnD (empty = all). No webhook: none is documented. */
export function editIntegrationLocations(
  context: EmulatorContext,
  {
    integration,
    organization,
    locationIds,
  }: { integration: Integration; organization: Organization; locationIds: string[] },
): Integration {
  checkLocations(organization, locationIds);
  integration.locations = [...new Set(locationIds)];
  integration.locationsEditedAt = context.clock.nowIso();
  return integration;
}

/**
 * The `locations-change` profile: once an integration is connected, the admin edits its locations
 * before the next signed call. A chosen-locations integration gains the organisation's first location
 * it lacks (or, listing every one, loses the last); an all-locations one becomes all but the last.
 */
export function applyProfileLocationEdit(
  context: EmulatorContext,
  { integration, organization }: { integration: Integration; organization: Organization },
): void {
  if (
    !profile(context).editsLocationsAfterConnect ||
    !isConnected(integration) ||
    integration.locationsEditedAt !== null
  )
    return;
  const all = [...organization.locations.scan({}, { direction: "forward" })].map((location) => location._id);
  const missing = all.filter((id) => !integration.locations.includes(id));
  const locationIds =
    integration.locations.length === 0
      ? all.slice(0, -1)
      : missing.length > 0
        ? [...integration.locations, missing[0] ?? ""]
        : integration.locations.slice(0, -1);
  if (locationIds.length === 0) return;
  editIntegrationLocations(context, { integration, organization, locationIds });
}

/** "Add integration" in OfficeRnD's admin: a fresh, unconnected integration for some or all locations. */
export function addIntegration(
  context: EmulatorContext,
  { organization, locationIds }: { organization: Organization; locationIds: string[] },
): Integration {
  checkLocations(organization, locationIds);
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
  return context.state.dispatcher.publish({
    orgSlug: integration.orgSlug,
    eventType: "integration.removed",
    object: integrationEventShape(integration),
  });
}
