import "server-only";
import { db } from "@/lib/db";

export type RateLimitResult = { isAllowed: boolean; remaining: number; retryAfterSeconds: number };

/**
 * A fixed-window counter in Postgres (`RateLimitBucket`), so every app instance shares it. One
 * statement: increments the bucket, or starts a new window when the old one has ended.
 */
export async function hitRateLimit(key: string, options: { limit: number; windowSeconds: number }): Promise<RateLimitResult> {
  const rows = await db.$queryRaw<{ count: number; resetAt: Date }[]>`
    INSERT INTO "RateLimitBucket" ("key", "count", "resetAt")
    VALUES (${key}, 1, now() + make_interval(secs => ${options.windowSeconds}))
    ON CONFLICT ("key") DO UPDATE SET
      "count"   = CASE WHEN "RateLimitBucket"."resetAt" <= now() THEN 1 ELSE "RateLimitBucket"."count" + 1 END,
      "resetAt" = CASE WHEN "RateLimitBucket"."resetAt" <= now() THEN EXCLUDED."resetAt" ELSE "RateLimitBucket"."resetAt" END
    RETURNING "count", "resetAt"`;
  const row = rows[0]!;
  const retryAfterSeconds = Math.max(1, Math.ceil((row.resetAt.getTime() - Date.now()) / 1000));
  return { isAllowed: row.count <= options.limit, remaining: Math.max(0, options.limit - row.count), retryAfterSeconds };
}

/** Deletes buckets whose window ended; run from the worker's housekeeping. */
export async function pruneRateLimits(): Promise<number> {
  return db.$executeRaw`DELETE FROM "RateLimitBucket" WHERE "resetAt" < now() - interval '1 hour'`;
}
