import "server-only";
import { decryptSecretCached } from "@/lib/crypto/secrets";
import { env } from "@/lib/env";
import { AppError, isDatabaseUnavailable, SIGNED_REQUEST_FAILURE_CODES, type ErrorCode } from "@/lib/errors";
import { healLocations } from "@/lib/installations/heal-locations";
import { signatureClaimFor, type SignatureClaim } from "@/lib/installations/replay";
import { cacheCandidates, cachedCandidates } from "@/lib/installations/signed-cache";
import { errorSummary, log } from "@/lib/log";
import { verifySignedQuery, type QueryParam, type VerifyFailureReason } from "@/lib/officernd/signature";
import { locationsKeyOf, paramValue, unquoteOrganizationId } from "@/lib/officernd/signed-query";
import { preparedStatement, sqlPool } from "@/lib/sql-pool";

// Which installation a signed GET from OfficeRnD belongs to. The request names the organisation
// (`slug`) but no integration id, and an organisation may hold several instances of the integration,
// each with its own secret (partner guide, Step 3): the secret that verifies picks the instance.

export type SignedInstallation = {
  id: string;
  accountId: string;
  accountName: string;
  orgSlug: string;
  orgId: string | null;
  orgName: string;
  integrationId: string;
  locationsKey: string;
  status: "active" | "reconnect_required";
  syncEnabled: boolean;
  tokenExpiresAt: Date | null;
  lastHealthcheckAt: Date | null;
};

export type SignedRequest = {
  installation: SignedInstallation;
  /** Every parameter except `signature`, decoded, in received order. */
  params: QueryParam[];
  /** Quotes stripped (api.md §6 pitfall 3); null when absent. */
  organizationId: string | null;
  memberId: string | null;
  /** Pass to claimSignature before acting on a state-changing request. */
  replayClaim: SignatureClaim;
  /**
   * What the request was verified with: the installation's stored secret (encrypted) and locations. A
   * statement acting on a request resolved from the cache checks the row still has them
   * (lib/installations/signed-cache.ts).
   */
  verifiedWith: { secretEnc: string; locationsKey: string };
  /** Resolved from this process's cache (≤ 60 s old) rather than from fresh rows. */
  isFromCache: boolean;
};

/** Why a signed GET is refused: the verifier's reasons, then ours; each one's code is in lib/errors.ts. */
export type ResolveFailureReason =
  | VerifyFailureReason
  | "no_slug"
  | "unknown_slug"
  | "removed"
  | "no_locations"
  | "locations_mismatch"
  | "locations_unconfirmed";
const FAILURE_CODES: Record<ResolveFailureReason, ErrorCode> = SIGNED_REQUEST_FAILURE_CODES;

/** `reason` is for the log only; callers answer with `code` and `message`. */
export type ResolveFailure = {
  ok: false;
  code: ErrorCode;
  reason: ResolveFailureReason;
  message: string;
  slug?: string;
};
export type ResolveResult = ({ ok: true } & SignedRequest) | ResolveFailure;

const INVALID_SIGNATURE_MESSAGE =
  "This request could not be verified as coming from OfficeRnD. Open the integration again from OfficeRnD; if this keeps happening, reconnect the integration.";
/** Bounded so a slug with a long history cannot make one request decrypt without limit. */
const MAX_CANDIDATES = 50;
const STATUS_PREFERENCE = { active: 0, reconnect_required: 1, removed: 2 } as const;

/**
 * Verifies a signed query and finds its installation. Every signature problem, and an unknown
 * `slug`, fails alike as `invalid_signature` (401): the caller never learns which check failed, and
 * cannot probe which organisations use the integration. The log gets the precise reason.
 *
 * `candidates: "cached"` verifies against the slug's installations as this process read them at most
 * 60 s ago (`now` is also the cache's clock). Only a clean success is answered from the cache: any
 * refusal, and a request whose locations differ from the cached ones, is resolved again from fresh rows.
 * The caller's write statement must then confirm `verifiedWith` (see lib/installations/signed-cache.ts).
 */
export async function resolveSignedInstallation(
  rawQuery: string,
  options: { now?: number; candidates?: "cached" | "fresh" } = {},
): Promise<ResolveResult> {
  const config = env();
  const verifyOptions = {
    now: options.now,
    toleranceSeconds: config.SIGNATURE_TOLERANCE_SECONDS,
    futureToleranceSeconds: config.SIGNATURE_FUTURE_TOLERANCE_SECONDS,
  };

  // Missing, malformed, repeated or out-of-window signatures are refused before touching the database:
  // with no secrets the verifier can only end in "mismatch" once everything else is fine.
  const precheck = verifySignedQuery(rawQuery, [], verifyOptions);
  if (!precheck.ok && precheck.reason !== "mismatch") return invalidSignature(precheck.reason);

  const slug = new URLSearchParams(rawQuery).get("slug");
  if (!slug) return invalidSignature("no_slug");
  const nowMs = options.now !== undefined ? options.now * 1000 : Date.now();
  if (options.candidates === "cached") {
    const cached = cachedCandidates<VerifiableCandidates>(slug, nowMs);
    const resolved =
      cached && resolveFromCache(rawQuery, cached, verifyOptions, config.SIGNATURE_TOLERANCE_SECONDS);
    if (resolved) return resolved;
  }
  const candidates = await findCandidates(slug);
  if (candidates.length === 0) return invalidSignature("unknown_slug", slug);

  const secrets = candidates.map((candidate) => decryptCandidateSecret(candidate.id, candidate.secretEnc));
  cacheCandidates<VerifiableCandidates>(
    slug,
    candidates.map((candidate) => candidate.id),
    { candidates, secrets },
    nowMs,
  );
  const verified = verifySignedQuery(rawQuery, secrets, verifyOptions);
  if (!verified.ok) return invalidSignature(verified.reason, slug);
  const match = candidates[verified.secretIndex]!;

  if (match.status === "removed") {
    return failure(
      "removed",
      slug,
      "This integration is no longer connected to a partner account. Connect it again from OfficeRnD.",
    );
  }
  const locations = paramValue(verified.params, "locations");
  if (locations === undefined)
    return failure("no_locations", slug, 'The request has no "locations" parameter.');
  let locationsKey = match.locationsKey;
  if (locationsKeyOf(locations) !== match.locationsKey) {
    const healed = await healOrFail({ match, slug, locations });
    if (!healed.ok) return healed;
    locationsKey = healed.locationsKey;
  }
  return accepted({
    match,
    locationsKey,
    verified,
    toleranceSeconds: config.SIGNATURE_TOLERANCE_SECONDS,
    isFromCache: false,
  });
}

type VerifiableCandidates = { candidates: CandidateRow[]; secrets: string[] };
type Verified = Extract<ReturnType<typeof verifySignedQuery>, { ok: true }>;

/** A clean success from the cached candidates, else undefined (the caller reads fresh rows). */
function resolveFromCache(
  rawQuery: string,
  { candidates, secrets }: VerifiableCandidates,
  verifyOptions: Parameters<typeof verifySignedQuery>[2],
  toleranceSeconds: number,
): ResolveResult | undefined {
  const verified = verifySignedQuery(rawQuery, secrets, verifyOptions);
  if (!verified.ok) return undefined;
  const match = candidates[verified.secretIndex]!;
  if (match.status === "removed") return undefined;
  const locations = paramValue(verified.params, "locations");
  if (locations === undefined || locationsKeyOf(locations) !== match.locationsKey) return undefined;
  return accepted({ match, locationsKey: match.locationsKey, verified, toleranceSeconds, isFromCache: true });
}

function accepted(input: {
  match: CandidateRow;
  locationsKey: string;
  verified: Verified;
  toleranceSeconds: number;
  isFromCache: boolean;
}): { ok: true } & SignedRequest {
  const { match, verified } = input;
  const organizationId = unquoteOrganizationId(paramValue(verified.params, "organizationId"));
  if (organizationId && match.orgId && organizationId !== match.orgId) {
    // Authentic (the secret verified), so only worth a note: the org id is informational here.
    log.warn(
      { installationId: match.id, slug: match.orgSlug },
      "signed organizationId differs from the stored one",
    );
  }
  return {
    ok: true,
    installation: {
      ...toSignedInstallation(match, match.status as SignedInstallation["status"]),
      locationsKey: input.locationsKey,
    },
    params: verified.params,
    organizationId,
    memberId: paramValue(verified.params, "memberId") || null,
    replayClaim: signatureClaimFor({
      signature: verified.signature,
      timestamp: verified.timestamp,
      toleranceSeconds: input.toleranceSeconds,
    }),
    verifiedWith: { secretEnc: match.secretEnc, locationsKey: input.locationsKey },
    isFromCache: input.isFromCache,
  };
}

/**
 * The signature verified but `locations` differs from the stored set: follow OfficeRnD when its
 * integration record agrees (lib/installations/heal-locations.ts), else `locations_mismatch`. When
 * OfficeRnD cannot be asked right now, 503: the request is authentic, only undecided.
 */
async function healOrFail(input: {
  match: CandidateRow;
  slug: string;
  locations: string;
}): Promise<{ ok: true; locationsKey: string } | ResolveFailure> {
  const { match, slug } = input;
  try {
    const outcome = await healLocations({
      installationId: match.id,
      accountId: match.accountId,
      storedLocationsKey: match.locationsKey,
      signedLocations: input.locations,
    });
    if (outcome.kind === "healed") return { ok: true, locationsKey: outcome.locationsKey };
  } catch (error) {
    if (!(error instanceof AppError) && !isDatabaseUnavailable(error)) throw error;
    log.warn(
      { installationId: match.id, err: errorSummary(error) },
      "could not re-read the integration to check changed locations",
    );
    // e.g. reconnect_required: OfficeRnD refuses our token, which is what the admin must fix first.
    if (error instanceof AppError && error.status < 500)
      return { ...failure("locations_unconfirmed", slug, error.message), code: error.code };
    return failure(
      "locations_unconfirmed",
      slug,
      "OfficeRnD sent a different set of locations and could not confirm them just now. Try again in a minute.",
    );
  }
  return failure(
    "locations_mismatch",
    slug,
    "This integration is connected for a different set of locations than OfficeRnD sent. Reconnect it from OfficeRnD to update its locations.",
  );
}

type CandidateRow = {
  id: string;
  accountId: string;
  orgSlug: string;
  orgId: string | null;
  orgName: string;
  integrationId: string;
  locationsKey: string;
  status: keyof typeof STATUS_PREFERENCE;
  syncEnabled: boolean;
  tokenExpiresAt: Date | null;
  lastHealthcheckAt: Date | null;
  secretEnc: string;
  account: { name: string };
};

const CANDIDATES_SQL = `
  SELECT i."id", i."accountId", i."orgSlug", i."orgId", i."orgName", i."integrationId", i."locationsKey", i."status"::text AS "status",
         i."syncEnabled", i."tokenExpiresAt" AT TIME ZONE 'UTC' AS "tokenExpiresAt",
         i."lastHealthcheckAt" AT TIME ZONE 'UTC' AS "lastHealthcheckAt", i."secretEnc", a."name" AS "accountName"
  FROM "Installation" i JOIN "Account" a ON a."id" = i."accountId"
  WHERE i."orgSlug" = $1
  ORDER BY i."connectedAt" DESC
  LIMIT $2`;
/** Exported for bench:statements. */
export const FIND_CANDIDATES = preparedStatement("signed-candidates", CANDIDATES_SQL);

/**
 * The slug's installations with their account's name: one statement on the pg pool (every signed call
 * that misses the cache pays it, so it skips the ORM's per-query work, issue 16 §1).
 */
async function findCandidates(slug: string): Promise<CandidateRow[]> {
  const { rows } = await sqlPool().query<Omit<CandidateRow, "account"> & { accountName: string }>(
    FIND_CANDIDATES([slug, MAX_CANDIDATES]),
  );
  // The verifier reports the first secret that matches; live installations win over removed ones.
  return rows
    .map(({ accountName, ...row }) => ({ ...row, account: { name: accountName } }))
    .sort((a, b) => STATUS_PREFERENCE[a.status] - STATUS_PREFERENCE[b.status]);
}

function toSignedInstallation(row: CandidateRow, status: SignedInstallation["status"]): SignedInstallation {
  return {
    id: row.id,
    accountId: row.accountId,
    accountName: row.account.name,
    orgSlug: row.orgSlug,
    orgId: row.orgId,
    orgName: row.orgName,
    integrationId: row.integrationId,
    locationsKey: row.locationsKey,
    status,
    syncEnabled: row.syncEnabled,
    tokenExpiresAt: row.tokenExpiresAt,
    lastHealthcheckAt: row.lastHealthcheckAt,
  };
}

/** Every installation's secret for `slug` (live ones first), for the signature explainer. */
export async function loadCandidateSecrets(
  slug: string,
): Promise<{ installationId: string; secret: string; isCurrent: boolean; accountId: string }[]> {
  const candidates = await findCandidates(slug);
  return candidates.map((candidate) => ({
    installationId: candidate.id,
    accountId: candidate.accountId,
    secret: decryptCandidateSecret(candidate.id, candidate.secretEnc),
    isCurrent: candidate.status !== "removed",
  }));
}

/** An undecryptable secret (e.g. a removed key) must not break the other instances: it never matches. */
function decryptCandidateSecret(installationId: string, secretEnc: string): string {
  try {
    return decryptSecretCached(secretEnc, `installation:${installationId}:secret`);
  } catch (error) {
    log.error({ installationId, err: errorSummary(error) }, "cannot decrypt installation secret");
    return "";
  }
}

function invalidSignature(
  reason: VerifyFailureReason | "no_slug" | "unknown_slug",
  slug?: string,
): ResolveFailure {
  return failure(reason, slug, INVALID_SIGNATURE_MESSAGE);
}

function failure(reason: ResolveFailureReason, slug: string | undefined, message: string): ResolveFailure {
  return { ok: false, code: FAILURE_CODES[reason], reason, message, slug };
}
