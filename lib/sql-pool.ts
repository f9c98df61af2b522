import "server-only";
import pg from "pg";
import { env } from "@/lib/env";

// A small `pg` pool for the sync's hot statements (page upserts, the request budget): one round trip
// each, without the ORM's per-query work, which at tens of thousands of rows a second is most of the
// client-side cost. Everything else goes through Prisma (`lib/db.ts`).

const globalForPool = globalThis as unknown as { syncSqlPool?: pg.Pool };

export function sqlPool(): pg.Pool {
  if (globalForPool.syncSqlPool) return globalForPool.syncSqlPool;
  const pool = new pg.Pool({
    connectionString: env().DATABASE_URL,
    max: 6,
    // Fail fast when Postgres is down, like lib/db.ts, so callers can answer 503 or retry later.
    connectionTimeoutMillis: 3_000,
    query_timeout: 30_000,
    application_name: "officernd-sync",
  });
  // An idle client losing its connection must not crash the process; the next query reconnects.
  pool.on("error", () => {});
  globalForPool.syncSqlPool = pool;
  return pool;
}

export type SqlRunner = {
  query: <Row extends pg.QueryResultRow>(
    text: string,
    values?: unknown[],
  ) => Promise<{ rows: Row[]; rowCount: number | null }>;
};

export async function closeSqlPool(): Promise<void> {
  const pool = globalForPool.syncSqlPool;
  globalForPool.syncSqlPool = undefined;
  await pool?.end();
}
