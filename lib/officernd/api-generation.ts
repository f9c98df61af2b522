import { isMissingRoute, OfficeRndError } from "@/lib/officernd/upstream-failures";

// Which OfficeRnD API an installation speaks (pure). Whether an authorization-code token with the legacy
// officernd.api.* scopes may call v2 is unconfirmed (spec addendum; the partner sample calls v1 only), so
// OFFICERND_API=auto tries v2, falls back to v1 when v2 refuses the token (401/403) or lacks the route
// (404 "Cannot GET …"), remembers that on the installation, and tries v2 again a day later.

export type ApiGeneration = "v1" | "v2";
export type ApiMode = "auto" | ApiGeneration;

/** After falling back to v1, try v2 again this much later (scopes may have been granted since). */
export const V2_RETRY_AFTER_MS = 24 * 3_600_000;

export type StoredGeneration = {
  generation: ApiGeneration | null;
  reason: string | null;
  decidedAt: Date | null;
};
export const UNDECIDED: StoredGeneration = { generation: null, reason: null, decidedAt: null };

/** The generation to call first, and the one to fall back to when the first refuses (null: none). */
export type GenerationPlan = { first: ApiGeneration; fallback: ApiGeneration | null };

export function planGeneration({
  mode,
  stored,
  now,
}: {
  mode: ApiMode;
  stored: StoredGeneration;
  now: Date;
}): GenerationPlan {
  if (mode !== "auto") return { first: mode, fallback: null };
  if (
    stored.generation === "v1" &&
    stored.decidedAt &&
    now.getTime() - stored.decidedAt.getTime() < V2_RETRY_AFTER_MS
  )
    return { first: "v1", fallback: null };
  return { first: "v2", fallback: "v1" };
}

/** When v2's failure means "this token or this platform does not do v2": why, in words; otherwise null. */
export function refusalOf(error: unknown): string | null {
  if (!(error instanceof OfficeRndError)) return null;
  const said = error.upstreamMessage ? ` ("${error.upstreamMessage.slice(0, 80)}")` : "";
  if (error.reason === "unauthorized") return `API v2 refused the token with 401 on ${error.route}${said}`;
  if (error.reason === "forbidden")
    return `API v2 refused the scope or permission with 403 on ${error.route}${said}`;
  if (isMissingRoute(error)) return `API v2 has no route ${error.route} (404)`;
  return null;
}

/** When the next v2 attempt is due for an installation on v1 (null: not applicable). */
export function nextV2AttemptAt({ mode, stored }: { mode: ApiMode; stored: StoredGeneration }): Date | null {
  if (mode !== "auto" || stored.generation !== "v1" || !stored.decidedAt) return null;
  return new Date(stored.decidedAt.getTime() + V2_RETRY_AFTER_MS);
}
