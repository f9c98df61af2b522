import { regionUrlOf, type EmulatorContext } from "../context";
import type { Organization } from "../data/dataset";
import { isConnected, type Integration } from "../integrations/integration-store";
import { DEMO_APP, registeredRedirectUri } from "../oauth/app-registry";
import { partnerUrls } from "../options";

// JSON views the control API and the admin page share.

export function integrationView(context: EmulatorContext, integration: Integration) {
  const organization = context.state.dataset.organizations.get(integration.orgSlug);
  return {
    _id: integration._id,
    org: integration.orgSlug,
    organizationId: organization?._id ?? null,
    locations: integration.locations,
    appClientId: integration.appClientId,
    secret: integration.secret,
    connected: isConnected(integration),
    tokenExchangedAt: integration.tokenExchangedAt,
    secretFetchedAt: integration.secretFetchedAt,
    syncEnabled: integration.syncEnabled,
    locationsEditedAt: integration.locationsEditedAt,
    webhookIds: context.state.webhooks
      .list(integration.orgSlug)
      .filter((webhook) => webhook.integrationId === integration._id)
      .map((webhook) => webhook._id),
    createdAt: integration.createdAt,
  };
}

export function organizationView(organization: Organization) {
  const members = organization.members.countByLocation();
  const companies = organization.companies.countByLocation();
  return {
    _id: organization._id,
    slug: organization.slug,
    name: organization.name,
    adminUserId: organization.adminUserId,
    memberCount: organization.members.size(),
    companyCount: organization.companies.size(),
    locations: [...organization.locations.scan({}, { direction: "forward" })].map((location) => ({
      _id: location._id,
      name: location.name,
      code: location.code,
      timezone: location.timezone,
      memberCount: members.get(location._id) ?? 0,
      companyCount: companies.get(location._id) ?? 0,
    })),
  };
}

export function stateView(context: EmulatorContext) {
  const { dataset } = context.state;
  return {
    now: context.clock.nowIso(),
    clockOffsetSeconds: context.clock.offsetSeconds,
    seed: dataset.seed,
    membersPerOrganization: dataset.members,
    companiesPerOrganization: dataset.companies,
    profile: context.config.profile,
    publicUrl: context.publicUrl,
    regionUrl: regionUrlOf(context),
    regionListenerUrl: context.region.url,
    tokenUrl: `${context.publicUrl}/oauth/token`,
    partner: { baseUrl: context.config.partnerUrl, ...partnerUrls(context.config.partnerUrl) },
    app: {
      clientId: DEMO_APP.clientId,
      clientSecret: DEMO_APP.clientSecret,
      redirectUri: registeredRedirectUri(context),
      permissions: context.config.appPermissions,
      homeOrg: DEMO_APP.homeOrgSlug,
    },
    organizations: [...dataset.organizations.values()].map(organizationView),
    integrations: context.state.integrations
      .list()
      .map((integration) => integrationView(context, integration)),
  };
}
