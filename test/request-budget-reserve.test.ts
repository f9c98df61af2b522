// The process-local reserve of the request budget (lib/officernd/request-budget.ts) when two runs of
// one organisation take from the bucket at the same time: the merged reserve must expire with the
// older grant (issue 16 review finding), not be renewed by the newer one.
import pg from "pg";
import { afterAll, expect, it } from "vitest";
import { db } from "@/lib/db";
import { budgetKey, createRequestBudget, delayBucket } from "@/lib/officernd/request-budget";
import { closeSqlPool } from "@/lib/sql-pool";
import { randomHex } from "./support/factories";

afterAll(async () => {
  await closeSqlPool();
  await db.$disconnect();
});

const bucketCount = async (orgSlug: string) =>
  (await db.rateLimitBucket.findUniqueOrThrow({ where: { key: budgetKey(orgSlug) } })).count;

/**
 * Waits until `count` statements of this database wait for a lock (the takes queued behind ours). Asked
 * through another connection: inside a transaction, pg_stat_activity is a snapshot.
 */
async function waitForLockWaiters(count: number): Promise<void> {
  for (;;) {
    const [row] = await db.$queryRaw<{ n: number }[]>`
      SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`;
    if ((row?.n ?? 0) >= count) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

it("a reserve merged from two concurrent takes expires with the older one", async () => {
  const orgSlug = `org-${randomHex(4)}`;
  const key = budgetKey(orgSlug);
  await delayBucket({ key, waitMs: 0 }); // the bucket row exists, with room for the whole burst
  let clock = 1_000_000;
  const options = { orgSlug, perMinute: 60, burst: 10, sleep: async () => {}, now: () => clock };
  const first = createRequestBudget(options);
  const second = createRequestBudget(options);
  const third = createRequestBudget(options);

  // Hold the bucket row so the two takes queue on it in order: the first commits, then the second.
  const holder = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await holder.connect();
  try {
    await holder.query("BEGIN");
    await holder.query(`SELECT 1 FROM "RateLimitBucket" WHERE "key" = $1 FOR UPDATE`, [key]);
    // Both miss the (empty) reserve and go to the bucket for 5 requests each.
    const firstTake = first.acquire().then(() => {
      clock += 30_000; // the second grant arrives 30 s after the first
    });
    await waitForLockWaiters(1);
    const secondTake = second.acquire();
    await waitForLockWaiters(2);
    await holder.query("COMMIT");
    await Promise.all([firstTake, secondTake]);
  } finally {
    await holder.end();
  }
  expect(await bucketCount(orgSlug)).toBe(10); // 2 spent, 8 in the reserve

  // 61 s after the first grant: its requests are stale, so the merged reserve is not spent any more
  // and the next request is a new take from the bucket.
  clock += 31_000;
  await third.acquire();
  expect(await bucketCount(orgSlug)).toBe(15);
});
