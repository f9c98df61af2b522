import "server-only";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { FixedWindowLimiter } from "@/lib/net/fixed-window-limiter";
import { loadCandidateSecrets } from "@/lib/installations/resolve-signed-installation";
import { errorSummary, log } from "@/lib/log";
import { diagnoseSignedQuery, type Diagnosis } from "@/lib/officernd/signature-diagnosis";

// The refused signed calls kept for the signature explainer (issue 13 part 1): the last 50 per
// installation and per organisation slug, with what the diagnosis found and no secret, signature or
// parameter value. Anyone can send a refused call, so recording is rate-limited per slug, calls whose
// signature fitted a secret (authentic) are kept before unverified ones, and unknown slugs share one
// small global bucket instead of getting one each.

export const REFUSED_CALLS_KEPT = 50;

const limits = {
  perSlug: new FixedWindowLimiter({ limit: 20, windowMs: 60_000, maxKeys: 10_000 }),
  unknownSlugs: new FixedWindowLimiter({ limit: 10, windowMs: 60_000 }),
};

/** Records one refused call. Best effort: never throws, never delays the answer by more than its queries. */
export async function recordRefusedCall(input: {
  route: string;
  rawQuery: string;
  reason: string;
  slug?: string | null;
  now?: Date;
}): Promise<void> {
  try {
    const slug = input.slug || null;
    // Limited before any query, so a flood costs at most this many recordings a minute per slug.
    if (!limits.perSlug.hit(slug ?? "").isAllowed) return;
    const candidates = slug ? await loadCandidateSecrets(slug) : [];
    const isKnownSlug = candidates.length > 0;
    if (!isKnownSlug && !limits.unknownSlugs.hit("unknown").isAllowed) return;

    const config = env();
    const now = input.now ?? new Date();
    const diagnosis = diagnoseSignedQuery(input.rawQuery, candidates, {
      now: Math.floor(now.getTime() / 1000),
      toleranceSeconds: config.SIGNATURE_TOLERANCE_SECONDS,
      futureToleranceSeconds: config.SIGNATURE_FUTURE_TOLERANCE_SECONDS,
    });
    const current = candidates.filter((candidate) => candidate.isCurrent);
    const installationId =
      diagnosis.match?.installationId ?? (current.length === 1 ? current[0]!.installationId : null);
    await db.refusedSignedCall.create({
      data: {
        installationId,
        orgSlug: isKnownSlug ? slug : null,
        route: input.route,
        reason: input.reason,
        clockSkewSeconds: clampSkew(diagnosis.clockSkewSeconds),
        candidates: diagnosis.candidates,
        nearMiss: diagnosis.match?.nearMiss ?? null,
        matchedFingerprint: diagnosis.match?.fingerprint ?? null,
        isAuthentic: diagnosis.match !== null,
        signedKeys: boundedKeys(diagnosis),
        createdAt: now,
      },
    });
    await trim({ installationId, orgSlug: isKnownSlug ? slug : null });
  } catch (error) {
    log.warn({ route: input.route, err: errorSummary(error) }, "could not record a refused signed call");
  }
}

/** Keeps the newest REFUSED_CALLS_KEPT per scope, authentic ones before unverified ones. */
async function trim(scope: { installationId: string | null; orgSlug: string | null }): Promise<void> {
  const scopes = [
    scope.installationId
      ? db.$executeRaw`DELETE FROM "RefusedSignedCall" WHERE "id" IN (SELECT "id" FROM "RefusedSignedCall" WHERE "installationId" = ${scope.installationId} ORDER BY "isAuthentic" DESC, "createdAt" DESC OFFSET ${REFUSED_CALLS_KEPT})`
      : null,
    scope.orgSlug
      ? db.$executeRaw`DELETE FROM "RefusedSignedCall" WHERE "id" IN (SELECT "id" FROM "RefusedSignedCall" WHERE "orgSlug" = ${scope.orgSlug} ORDER BY "isAuthentic" DESC, "createdAt" DESC OFFSET ${REFUSED_CALLS_KEPT})`
      : null,
    !scope.installationId && !scope.orgSlug
      ? db.$executeRaw`DELETE FROM "RefusedSignedCall" WHERE "id" IN (SELECT "id" FROM "RefusedSignedCall" WHERE "installationId" IS NULL AND "orgSlug" IS NULL ORDER BY "createdAt" DESC OFFSET ${REFUSED_CALLS_KEPT})`
      : null,
  ];
  for (const statement of scopes) if (statement) await statement;
}

/** Keys are names chosen by the sender: a few, each short. */
function boundedKeys(diagnosis: Diagnosis): string[] {
  return diagnosis.signedKeys.slice(0, 20).map((key) => key.slice(0, 40));
}

function clampSkew(skew: number | null): number | null {
  if (skew === null) return null;
  return Math.max(-2_000_000_000, Math.min(2_000_000_000, skew));
}
