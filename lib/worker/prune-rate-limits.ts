import "server-only";
import { db } from "@/lib/db";

// `RateLimitBucket` holds the login/sign-up throttles (lib/auth/throttle.ts) and the per-organisation
// OfficeRnD request budget (lib/officernd/request-budget.ts); this only clears what they left behind.

/** Deletes buckets whose window ended over an hour ago; run from the worker's maintenance job. */
export async function pruneRateLimits(): Promise<number> {
  return db.$executeRaw`DELETE FROM "RateLimitBucket" WHERE "resetAt" < now() - interval '1 hour'`;
}
