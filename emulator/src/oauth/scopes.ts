// Scope model (spec §1 "Scopes"). Legacy `officernd.api.read` grants every v1/v2 read and
// `officernd.api.write` every write (write does not imply read). Granular `flex.<area>.<resource>.<action>`
// scopes grant exactly what they name; `.read` is a read permission, any other action a write.

export const LEGACY_READ = "officernd.api.read";
export const LEGACY_WRITE = "officernd.api.write";

const FLEX_SCOPE = /^flex(\.[a-z][a-z0-9-]*){3}$/;

export type Permission = "read" | "write";

/** What an API route needs: its granular scope, or the legacy scope of the same permission. */
export type ApiAccess = { scope: string; permission: Permission };

export function permissionOfScope(scope: string): Permission | undefined {
  if (scope === LEGACY_READ) return "read";
  if (scope === LEGACY_WRITE) return "write";
  if (!FLEX_SCOPE.test(scope)) return undefined;
  return scope.endsWith(".read") ? "read" : "write";
}

export type ScopeCheck = { ok: true; scopes: string[] } | { ok: false; description: string };

/**
 * Validates a space-separated scope request against the application's permissions. OfficeRnD refuses
 * a token with more than the application may do rather than narrowing it (spec §1, [DOC-TOKEN]).
 */
export function checkRequestedScopes({
  requested,
  appPermissions,
  issuesFlexScopes = true,
}: {
  requested: string | undefined;
  appPermissions: readonly Permission[];
  /** False under the `v1-only` profile: the identity server knows only the officernd.api.* scopes. */
  issuesFlexScopes?: boolean;
}): ScopeCheck {
  const scopes = [...new Set((requested ?? "").split(/\s+/).filter((scope) => scope !== ""))];
  if (scopes.length === 0) return { ok: false, description: "scope is required" };
  for (const scope of scopes) {
    const permission = permissionOfScope(scope);
    if (!permission || (!issuesFlexScopes && scope.startsWith("flex.")))
      return { ok: false, description: `unknown scope: ${scope}` };
    if (!appPermissions.includes(permission))
      return { ok: false, description: `the application has no ${permission} permission for scope ${scope}` };
  }
  return { ok: true, scopes };
}

export function isAccessGranted({
  granted,
  access,
  acceptsLegacy = true,
}: {
  granted: readonly string[];
  access: ApiAccess;
  acceptsLegacy?: boolean;
}): boolean {
  return (
    granted.includes(access.scope) ||
    (acceptsLegacy && granted.includes(access.permission === "read" ? LEGACY_READ : LEGACY_WRITE))
  );
}

/** The scopes each API resource needs (spec §1, §3f, §4). */
export const ACCESS = {
  organization: { scope: "flex.settings.organization.read", permission: "read" },
  locations: { scope: "flex.space.locations.read", permission: "read" },
  members: { scope: "flex.community.members.read", permission: "read" },
  companies: { scope: "flex.community.companies.read", permission: "read" },
  integrations: { scope: "flex.settings.integrations.read", permission: "read" },
  webhooksRead: { scope: "flex.settings.webhooks.read", permission: "read" },
  webhooksCreate: { scope: "flex.settings.webhooks.create", permission: "write" },
  webhooksDelete: { scope: "flex.settings.webhooks.delete", permission: "write" },
} as const satisfies Record<string, ApiAccess>;
