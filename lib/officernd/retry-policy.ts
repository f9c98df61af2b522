// Pure retry policy for OfficeRnD API calls: which failures to retry, and how long to wait. The real
// rate-limit headers are unconfirmed (spec §4 "Rate limits"), so 429 and 5xx back off exponentially
// with full jitter and honour `Retry-After` (seconds or an HTTP date) when it is present.

export type RetryPolicy = {
  /** Attempts in total, the first one included. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Upper bound for a server-requested wait; longer waits are capped, not obeyed blindly. */
  maxRetryAfterMs: number;
  /** Give up instead when the server asks for a longer wait (a caller who cannot wait). */
  giveUpBeyondMaxRetryAfter?: boolean;
};

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 6,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  maxRetryAfterMs: 120_000,
};

export type AttemptOutcome =
  | { kind: "response"; status: number; retryAfter?: string | null }
  | { kind: "network" }
  | { kind: "timeout" }
  | { kind: "invalid-body" };

export type RetryDecision =
  { action: "retry"; delayMs: number } | { action: "refresh-token" } | { action: "give-up" };

/** Retryable statuses: rate limited, and server-side failures that a later attempt may not meet. */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status === 408 || status >= 500;
}

/** `Retry-After` as milliseconds from `nowMs`; undefined when absent or unparsable. */
export function parseRetryAfter(value: string | null | undefined, nowMs: number): number | undefined {
  if (value === null || value === undefined) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  // Otherwise only an HTTP date ("Wed, 21 Oct 2015 07:28:00 GMT"), not any string Date.parse takes.
  if (!/^[A-Za-z]{3},/.test(trimmed)) return undefined;
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - nowMs);
}

/** Full-jitter exponential backoff: a random wait in [0, min(max, base × 2^(attempt−1))]. */
export function backoffDelay({
  attempt,
  policy,
  random,
}: {
  attempt: number;
  policy: RetryPolicy;
  random: () => number;
}): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(random() * ceiling);
}

/**
 * What to do after attempt number `attempt` (1-based) ended with `outcome`. A 401 asks for one forced
 * token refresh (`hasRefreshed` says whether that already happened); other 4xx are final.
 */
export function decideRetry({
  outcome,
  attempt,
  hasRefreshed,
  policy,
  nowMs,
  random,
}: {
  outcome: AttemptOutcome;
  attempt: number;
  hasRefreshed: boolean;
  policy: RetryPolicy;
  nowMs: number;
  random: () => number;
}): RetryDecision {
  if (outcome.kind === "response" && outcome.status === 401)
    return hasRefreshed ? { action: "give-up" } : { action: "refresh-token" };
  const isRetryable = outcome.kind !== "response" || isRetryableStatus(outcome.status);
  if (!isRetryable || attempt >= policy.maxAttempts) return { action: "give-up" };
  const jittered = backoffDelay({ attempt, policy, random });
  const requested = outcome.kind === "response" ? parseRetryAfter(outcome.retryAfter, nowMs) : undefined;
  if (requested !== undefined && requested > policy.maxRetryAfterMs && policy.giveUpBeyondMaxRetryAfter)
    return { action: "give-up" };
  // The server's wait is a floor (waking earlier only earns another 429); a little jitter on top keeps
  // workers that were refused together from coming back together.
  const delayMs =
    requested === undefined
      ? jittered
      : Math.min(policy.maxRetryAfterMs, requested + Math.round(random() * policy.baseDelayMs));
  return { action: "retry", delayMs };
}
