// The per-organisation request budget in Postgres (GCRA in RateLimitBucket), shared by every worker.
import { afterAll, describe, expect, it } from "vitest";
import { budgetKey, createRequestBudget, delayBucket, tryTakeRequest } from "@/lib/officernd/request-budget";
import { randomHex } from "./support/factories";
import { closeSqlPool } from "@/lib/sql-pool";

afterAll(async () => {
  await closeSqlPool();
});

describe("tryTakeRequest", () => {
  it("grants exactly the burst to concurrent callers, then asks them to wait about one interval", async () => {
    const key = budgetKey(`org-${randomHex(4)}`);
    // One request a minute: nothing refills while the test runs.
    const results = await Promise.all(
      Array.from({ length: 20 }, () => tryTakeRequest({ key, intervalMs: 60_000, burst: 5 })),
    );
    expect(results.filter((wait) => wait === 0)).toHaveLength(5);
    for (const wait of results.filter((value) => value > 0)) {
      expect(wait).toBeGreaterThan(50_000);
      expect(wait).toBeLessThanOrEqual(60_000);
    }
  });

  it("takes several requests in one round trip, within the same burst", async () => {
    const key = budgetKey(`org-${randomHex(4)}`);
    expect(await tryTakeRequest({ key, intervalMs: 60_000, burst: 10, count: 5 })).toBe(0);
    expect(await tryTakeRequest({ key, intervalMs: 60_000, burst: 10, count: 5 })).toBe(0);
    expect(await tryTakeRequest({ key, intervalMs: 60_000, burst: 10, count: 1 })).toBeGreaterThan(0);
  });

  it("never lets several workers exceed rate + burst in any one-minute window (simulated time)", async () => {
    const key = budgetKey(`org-${randomHex(4)}`);
    const perMinute = 60;
    const burst = 5;
    const start = Date.now();
    const grants: number[] = [];
    // Three workers, each asking again as soon as the bucket says it may, over ten simulated minutes.
    const nextTry = [start, start + 7, start + 13];
    while (Math.min(...nextTry) < start + 600_000) {
      const worker = nextTry.indexOf(Math.min(...nextTry));
      const at = nextTry[worker]!;
      const wait = await tryTakeRequest({ key, intervalMs: 60_000 / perMinute, burst, at: new Date(at) });
      if (wait === 0) grants.push(at);
      nextTry[worker] = at + (wait === 0 ? 1 : wait);
    }
    // OfficeRnD-style sliding window: count what falls in the minute ending at each grant.
    const worst = Math.max(
      ...grants.map((at) => grants.filter((other) => other > at - 60_000 && other <= at).length),
    );
    expect(worst).toBeLessThanOrEqual(perMinute + burst);
    // …and the budget is used, not just respected.
    expect(grants.length).toBeGreaterThan(perMinute * 9);
  });

  it("keeps organisations apart", async () => {
    const [a, b] = [budgetKey(`org-${randomHex(4)}`), budgetKey(`org-${randomHex(4)}`)];
    expect(await tryTakeRequest({ key: a, intervalMs: 60_000, burst: 1 })).toBe(0);
    expect(await tryTakeRequest({ key: a, intervalMs: 60_000, burst: 1 })).toBeGreaterThan(0);
    expect(await tryTakeRequest({ key: b, intervalMs: 60_000, burst: 1 })).toBe(0);
  });

  it("after a 429 every worker of the organisation waits at least Retry-After", async () => {
    const key = budgetKey(`org-${randomHex(4)}`);
    await delayBucket({ key, waitMs: 30_000 });
    const wait = await tryTakeRequest({ key, intervalMs: 100, burst: 10 });
    expect(wait).toBeGreaterThan(29_000);
  });
});

describe("createRequestBudget", () => {
  it("sleeps for what the bucket says, then takes the request", async () => {
    const orgSlug = `org-${randomHex(4)}`;
    const sleeps: number[] = [];
    const budget = createRequestBudget({
      orgSlug,
      perMinute: 1,
      burst: 1,
      sleep: async (ms) => {
        sleeps.push(ms);
        // Stand-in for time passing: the next request's slot is now.
        await delayBucket({ key: budgetKey(orgSlug), waitMs: 0 });
        const { db } = await import("@/lib/db");
        await db.rateLimitBucket.update({
          where: { key: budgetKey(orgSlug) },
          data: { resetAt: new Date(Date.now() - 1000) },
        });
      },
    });
    await budget.acquire();
    await budget.acquire();
    expect(sleeps).toHaveLength(1);
    expect(sleeps[0]).toBeGreaterThan(50_000);
  });

  it("shares the requests a process took but has not spent between the runs of one organisation", async () => {
    const orgSlug = `org-${randomHex(4)}`;
    const sleeps: number[] = [];
    const options = { orgSlug, perMinute: 60, burst: 10, sleep: async (ms: number) => void sleeps.push(ms) };
    // Two runs of the same organisation in one process, one after the other (a run ending, the next
    // starting).
    const first = createRequestBudget(options);
    await first.acquire(); // takes 5 from the bucket, spends 1
    const second = createRequestBudget(options);
    for (let index = 0; index < 4; index++) await second.acquire(); // the 4 left over, no round trip
    const { db } = await import("@/lib/db");
    const bucket = await db.rateLimitBucket.findUniqueOrThrow({ where: { key: budgetKey(orgSlug) } });
    expect(bucket.count).toBe(5);
    await second.acquire(); // the reserve is spent: the next 5
    expect((await db.rateLimitBucket.findUniqueOrThrow({ where: { key: budgetKey(orgSlug) } })).count).toBe(
      10,
    );
    expect(sleeps).toEqual([]);
  });

  it("drops the shared reserve on a 429 (the requests taken before it are not spent now)", async () => {
    const orgSlug = `org-${randomHex(4)}`;
    const options = { orgSlug, perMinute: 60, burst: 10, sleep: async () => {} };
    const first = createRequestBudget(options);
    await first.acquire();
    await createRequestBudget(options).penalize(1);
    const { db } = await import("@/lib/db");
    await db.rateLimitBucket.update({
      where: { key: budgetKey(orgSlug) },
      data: { resetAt: new Date(Date.now() - 1000) },
    });
    await first.acquire(); // not from the dropped reserve: a new round trip
    expect((await db.rateLimitBucket.findUniqueOrThrow({ where: { key: budgetKey(orgSlug) } })).count).toBe(
      10,
    );
  });

  it("is a no-op when the budget is switched off (0 per minute): never waits, stores no bucket", async () => {
    const orgSlug = `org-${randomHex(4)}`;
    const sleeps: number[] = [];
    const budget = createRequestBudget({
      orgSlug,
      perMinute: 0,
      burst: 1,
      sleep: async (ms) => void sleeps.push(ms),
    });
    for (let index = 0; index < 100; index++) await budget.acquire();
    await budget.penalize(30_000);
    expect(sleeps).toEqual([]);
    const { db } = await import("@/lib/db");
    expect(await db.rateLimitBucket.count({ where: { key: budgetKey(orgSlug) } })).toBe(0);
  });
});
