// Runs before every integration test file: a fresh database cloned from the migrated template, and a
// test configuration, so files run in parallel without sharing state.
import { afterAll, inject } from "vitest";
import { createDatabaseIfMissing, dropDatabase, withDatabase } from "../../scripts/lib/database.ts";
import { uniqueDatabaseName } from "./test-postgres.ts";

const adminUrl = inject("testDatabaseAdminUrl");
const database = uniqueDatabaseName("test");
await createDatabaseIfMissing(adminUrl, database, inject("testDatabaseTemplate"));

process.env.DATABASE_URL = withDatabase(adminUrl, database);
process.env.NEXTAUTH_SECRET ??= "test-nextauth-secret-0123456789abcdef0123456789";
process.env.ENCRYPTION_KEY ??= "t1:" + Buffer.alloc(32, 7).toString("base64");
process.env.OFFICERND_CLIENT_ID ??= "demo-partner-app";
process.env.OFFICERND_CLIENT_SECRET ??= "demo-partner-secret";
// Every test request comes from one (unknown) client IP and many are forged on purpose; the limit on
// failed verifications per IP is proven by test/signed-rate-limits.test.ts, which sets its own.
process.env.RATE_LIMIT_FAILED_VERIFICATIONS_PER_IP_PER_MINUTE ??= "0";
// Tests connect many times a minute from one address; the files that test these budgets set their own.
process.env.OFFICERND_TOKEN_REQUESTS_PER_MINUTE ??= "1000000";
process.env.CONNECT_CODE_EXCHANGES_PER_IP_PER_MINUTE ??= "0";

afterAll(async () => {
  const { db } = await import("@/lib/db");
  await db.$disconnect();
  // The signed routes' and the sync's pg pool: an idle client left open keeps the worker alive after
  // the run (vitest's "close timed out after 10000ms").
  const { closeSqlPool } = await import("@/lib/sql-pool");
  await closeSqlPool();
  await dropDatabase(adminUrl, database);
});
