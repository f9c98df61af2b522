// An in-process fixed-window rate limiter with a hard bound on memory. Pure (the clock is injected),
// so its rules are tested by table. Limits shared across instances live in Postgres (lib/auth/throttle.ts);
// this one guards the hot public endpoints without a database round trip per request.

export type LimitDecision = { isAllowed: boolean; retryAfterSeconds: number };

export class FixedWindowLimiter {
  private readonly windows = new Map<string, { count: number; resetAt: number }>();

  constructor(
    private readonly options: { limit: number; windowMs: number; maxKeys?: number },
    private readonly now: () => number = Date.now,
  ) {}

  hit(key: string): LimitDecision {
    if (this.options.limit <= 0) return { isAllowed: true, retryAfterSeconds: 0 };
    const now = this.now();
    let window = this.windows.get(key);
    if (!window || window.resetAt <= now) {
      this.evictIfFull(now);
      window = { count: 0, resetAt: now + this.options.windowMs };
      this.windows.set(key, window);
    }
    window.count += 1;
    return {
      isAllowed: window.count <= this.options.limit,
      retryAfterSeconds: Math.max(1, Math.ceil((window.resetAt - now) / 1000)),
    };
  }

  /** The decision the next hit would get, without counting anything. */
  peek(key: string): LimitDecision {
    if (this.options.limit <= 0) return { isAllowed: true, retryAfterSeconds: 0 };
    const now = this.now();
    const window = this.windows.get(key);
    if (!window || window.resetAt <= now) return { isAllowed: true, retryAfterSeconds: 0 };
    return {
      isAllowed: window.count < this.options.limit,
      retryAfterSeconds: Math.max(1, Math.ceil((window.resetAt - now) / 1000)),
    };
  }

  get size(): number {
    return this.windows.size;
  }

  /** Drops ended windows; if still full, the oldest keys (Map keeps insertion order). */
  private evictIfFull(now: number): void {
    const maxKeys = this.options.maxKeys ?? 50_000;
    if (this.windows.size < maxKeys) return;
    for (const [key, window] of this.windows) if (window.resetAt <= now) this.windows.delete(key);
    for (const key of this.windows.keys()) {
      if (this.windows.size < maxKeys) break;
      this.windows.delete(key);
    }
  }
}
