import { describe, expect, it } from "vitest";
import { FixedWindowLimiter } from "./fixed-window-limiter";

describe("fixed-window limiter", () => {
  it("admits up to the limit per key and window, then refuses with the seconds left", () => {
    let now = 0;
    const limiter = new FixedWindowLimiter({ limit: 2, windowMs: 60_000 }, () => now);
    expect([limiter.hit("a").isAllowed, limiter.hit("a").isAllowed, limiter.hit("a").isAllowed]).toEqual([
      true,
      true,
      false,
    ]);
    expect(limiter.hit("b").isAllowed).toBe(true);
    now = 45_000;
    expect(limiter.hit("a")).toEqual({ isAllowed: false, retryAfterSeconds: 15 });
    now = 60_000;
    expect(limiter.hit("a").isAllowed).toBe(true);
  });

  it("never holds more than maxKeys windows", () => {
    const limiter = new FixedWindowLimiter({ limit: 1, windowMs: 60_000, maxKeys: 100 }, () => 0);
    for (let index = 0; index < 1_000; index++) limiter.hit(`ip-${index}`);
    expect(limiter.size).toBeLessThanOrEqual(100);
  });

  it("peek tells what the next hit would get without counting", () => {
    let now = 0;
    const limiter = new FixedWindowLimiter({ limit: 2, windowMs: 60_000 }, () => now);
    expect(limiter.peek("a")).toEqual({ isAllowed: true, retryAfterSeconds: 0 });
    limiter.hit("a");
    expect(limiter.peek("a").isAllowed).toBe(true);
    limiter.hit("a");
    now = 20_000;
    expect(limiter.peek("a")).toEqual({ isAllowed: false, retryAfterSeconds: 40 });
    expect(limiter.peek("a").isAllowed).toBe(false);
    now = 60_000;
    expect(limiter.peek("a").isAllowed).toBe(true);
  });

  it("is off when the limit is 0", () => {
    const limiter = new FixedWindowLimiter({ limit: 0, windowMs: 1_000 });
    for (let index = 0; index < 10; index++) expect(limiter.hit("a").isAllowed).toBe(true);
  });
});
