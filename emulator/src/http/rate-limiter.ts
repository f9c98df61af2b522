const WINDOW_MS = 60_000;

/** `limit` 0 = no limit; `resetSeconds` until the oldest request in the window leaves it. */
export type RateDecision = { limit: number; remaining: number; resetSeconds: number } & (
  { allowed: true } | { allowed: false; retryAfterSeconds: number }
);

/**
 * A sliding one-minute window per key (client id or organisation), on the emulator's clock so a test
 * can shift time instead of waiting. A limit of 0 turns it off.
 */
export class RateLimiter {
  private readonly hits = new Map<string, number[]>();

  constructor(
    private readonly limitPerMinute: () => number,
    private readonly nowMs: () => number,
  ) {}

  take(key: string): RateDecision {
    const limit = this.limitPerMinute();
    if (limit <= 0) return { allowed: true, limit: 0, remaining: 0, resetSeconds: 0 };
    const now = this.nowMs();
    const recent = (this.hits.get(key) ?? []).filter((at) => at > now - WINDOW_MS && at <= now);
    this.hits.set(key, recent);
    const resetSeconds = Math.max(1, Math.ceil(((recent[0] ?? now) + WINDOW_MS - now) / 1000));
    if (recent.length >= limit)
      return { allowed: false, retryAfterSeconds: resetSeconds, limit, remaining: 0, resetSeconds };
    recent.push(now);
    return { allowed: true, limit, remaining: limit - recent.length, resetSeconds };
  }

  clear(): void {
    this.hits.clear();
  }
}
