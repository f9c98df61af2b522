import { randomBytes } from "node:crypto";

/** An integration instance an admin added in OfficeRnD for one organisation (spec §2). */
export type Integration = {
  _id: string;
  orgSlug: string;
  appClientId: string;
  /** The signing secret the partner fetches with `GET …/integrations/{id}` (spec §2 step 3). */
  secret: string;
  /** Location ids; empty means all locations (sent as `locations=""`). */
  locations: string[];
  user: string;
  createdAt: string;
  /** When a code issued for it was exchanged for tokens. */
  tokenExchangedAt: string | null;
  /** When the partner fetched its secret. */
  secretFetchedAt: string | null;
  /** Last Sync state the emulator sent, and what the partner answered. */
  syncEnabled: boolean | null;
  /** When the admin last edited its locations (control API, or the `locations-change` profile). */
  locationsEditedAt: string | null;
  /**
   * What `settings.appClientId` says, when a test sets it apart from the owning app (control API):
   * absent = the owning app's client id (the documented shape), null = left out of `settings`.
   */
  settingsAppClientId?: string | null;
};

/** `settings.appClientId` as the API shows it (left out when a test removed it). */
function appClientIdSetting(integration: Integration): { appClientId?: string } {
  const value =
    integration.settingsAppClientId === undefined ? integration.appClientId : integration.settingsAppClientId;
  return value === null ? {} : { appClientId: value };
}

/** The v1/v2 API shape (spec §2 step 3, [REF-integrationscontroller_getitem]). */
export function integrationApiShape(integration: Integration) {
  return {
    _id: integration._id,
    type: "Custom Integration",
    user: integration.user,
    settings: { ...appClientIdSetting(integration), secret: integration.secret, isExternal: true },
    locations: integration.locations,
  };
}

/** `data.object` of `integration.removed`: the integration without its secret. */
export function integrationEventShape(integration: Integration) {
  return {
    _id: integration._id,
    type: "Custom Integration",
    settings: { ...appClientIdSetting(integration), isExternal: true },
    locations: integration.locations,
  };
}

/** Connected once the partner both exchanged a code for tokens and fetched the secret. */
export function isConnected(integration: Integration): boolean {
  return integration.tokenExchangedAt !== null && integration.secretFetchedAt !== null;
}

export class IntegrationStore {
  private readonly integrations = new Map<string, Integration>();

  create(
    input: Pick<Integration, "_id" | "orgSlug" | "appClientId" | "locations" | "user" | "createdAt">,
  ): Integration {
    const integration: Integration = {
      ...input,
      secret: randomBytes(32).toString("hex"),
      tokenExchangedAt: null,
      secretFetchedAt: null,
      syncEnabled: null,
      locationsEditedAt: null,
    };
    this.integrations.set(integration._id, integration);
    return integration;
  }

  get(id: string): Integration | undefined {
    return this.integrations.get(id);
  }

  list(orgSlug?: string): Integration[] {
    return [...this.integrations.values()].filter(
      (integration) => orgSlug === undefined || integration.orgSlug === orgSlug,
    );
  }

  remove(id: string): Integration | undefined {
    const integration = this.integrations.get(id);
    this.integrations.delete(id);
    return integration;
  }
}
