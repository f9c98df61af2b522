// The two scope sets a partner app may ask OfficeRnD for (spec §1 "Scopes"; README "OfficeRnD scopes").

export const LEGACY_SCOPES = "officernd.api.read officernd.api.write";

/** Everything sync, location names, webhooks and Connect need, in API v2's granular scopes. */
export const FLEX_SCOPES = [
  "flex.space.locations.read",
  "flex.community.members.read",
  "flex.community.companies.read",
  "flex.settings.webhooks.read",
  "flex.settings.webhooks.create",
  "flex.settings.webhooks.delete",
  "flex.settings.integrations.read",
  "flex.settings.organization.read",
].join(" ");

export function isFlexScopeSet(scopes: string): boolean {
  return scopes.split(/\s+/).some((scope) => scope.startsWith("flex."));
}
