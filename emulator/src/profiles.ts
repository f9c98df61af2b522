// OfficeRnD profiles: each one a plausible answer to a question the spec leaves open
// (../shared/spec/officernd-api.md). `--profile <name>` picks one at start-up, `POST /_emulator/config
// {"profile": …}` switches at run time. README "Profiles" gives the source behind each.

export const PROFILE_NAMES = [
  "v2",
  "v1-only",
  "v1-webhooks",
  "sparse",
  "region",
  "locations-change",
] as const;

export type ProfileName = (typeof PROFILE_NAMES)[number];

export type ProfileBehaviour = {
  /** The identity server issues `flex.*` scopes (v1-only: it knows only officernd.api.*). */
  issuesFlexScopes: boolean;
  /** API v2 routes accept the legacy `officernd.api.*` scopes (v1-only: 403). */
  v2AcceptsLegacyScopes: boolean;
  /**
   * The shape of `data.object` in member/company webhooks: v2 (`location`, `company`) or v1 (`office`,
   * `team`).
   */
  webhookObjects: "v2" | "v1";
  /** Top-level `id`/`createdAt` on webhook events (sparse: neither). */
  eventIds: boolean;
  /** Signed calls carry `memberId=` empty (signed without it) and a `userId`. */
  sparseSignedCalls: boolean;
  /** How location ids are joined in `locations` on Connect and on signed calls. */
  locationSeparator: "," | ", ";
  /**
   * The organisation lives at regionUrl (a second port); the main host answers only the organisation
   * endpoint.
   */
  separateRegion: boolean;
  /** The admin edits an integration's locations once, right after Connect. */
  editsLocationsAfterConnect: boolean;
};

const V2: ProfileBehaviour = {
  issuesFlexScopes: true,
  v2AcceptsLegacyScopes: true,
  webhookObjects: "v2",
  eventIds: true,
  sparseSignedCalls: false,
  locationSeparator: ",",
  separateRegion: false,
  editsLocationsAfterConnect: false,
};

export const PROFILES: Readonly<Record<ProfileName, ProfileBehaviour>> = {
  v2: V2,
  "v1-only": { ...V2, issuesFlexScopes: false, v2AcceptsLegacyScopes: false, webhookObjects: "v1" },
  "v1-webhooks": { ...V2, webhookObjects: "v1" },
  sparse: { ...V2, eventIds: false, sparseSignedCalls: true, locationSeparator: ", " },
  region: { ...V2, separateRegion: true },
  "locations-change": { ...V2, editsLocationsAfterConnect: true },
};

export function profileBehaviour(name: ProfileName): ProfileBehaviour {
  return PROFILES[name];
}
