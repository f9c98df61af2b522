const WINDOW_MS = 60_000;

export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

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
    if (limit <= 0) return { allowed: true };
    const now = this.nowMs();
    const recent = (this.hits.get(key) ?? []).filter((at) => at > now - WINDOW_MS && at <= now);
    this.hits.set(key, recent);
    if (recent.length >= limit) {
      const oldest = recent[0] ?? now;
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((oldest + WINDOW_MS - now) / 1000)) };
    }
    recent.push(now);
    return { allowed: true };
  }

  clear(): void {
    this.hits.clear();
  }
}
