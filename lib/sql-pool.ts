import "server-only";
import pg from "pg";
import { env } from "@/lib/env";

// A small `pg` pool for the hot statements: the sync's (page upserts, the request budget) and those of
// OfficeRnD's signed calls and webhooks (issue 16 §1). One round trip each, without the ORM's per-query
// work, which on those paths is most of the client-side cost. Everything else goes through Prisma
// (`lib/db.ts`). Tests simulating an outage swap this pool and Prisma's client together
// (test/support/database-down.ts).

const globalForPool = globalThis as unknown as { syncSqlPool?: pg.Pool };

export function sqlPool(): pg.Pool {
  if (globalForPool.syncSqlPool) return globalForPool.syncSqlPool;
  const pool = new pg.Pool({
    connectionString: env().DATABASE_URL,
    max: 6,
    // Fail fast when Postgres is down, like lib/db.ts, so callers can answer 503 or retry later.
    connectionTimeoutMillis: 3_000,
    query_timeout: 30_000,
    // A new connection costs Postgres a process, an authentication and the planning of every prepared
    // statement again: keep them a minute (pg's default is 10 s), so a lull does not make the next
    // burst pay it (it showed as 100–270 ms answers at the start of each burst, issue 16 §1).
    idleTimeoutMillis: 60_000,
    // Idle connections do not keep a process alive (servers and workers have their own handles): a
    // script that forgets closeSqlPool() still exits instead of waiting out the idle timeout.
    allowExitOnIdle: true,
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

/**
 * A hot statement, prepared once per pooled connection under `name` and executed from then on without
 * being parsed and planned again. Planning a statement of several CTEs costs more than running it: the
 * signed healthcheck's took 1.65 ms a call unnamed, 0.26 ms named (issue 16 §1). One name per text.
 */
export function preparedStatement(name: string, text: string): (values: unknown[]) => pg.QueryConfig {
  return (values) => ({ name, text, values });
}

/**
 * Runs `work` on one pooled connection inside BEGIN … COMMIT (ROLLBACK when it throws). A connection
 * whose ROLLBACK failed (it broke mid-transaction) is destroyed, not handed to the next caller.
 */
export async function inSqlTransaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await sqlPool().connect();
  let broken: Error | undefined;
  try {
    await client.query("BEGIN");
    const result = await work(client);
    await client.query("COMMIT");
    return result;
  } catch (error) {
    await client.query("ROLLBACK").catch((rollbackError: unknown) => {
      broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
    });
    throw error;
  } finally {
    client.release(broken);
  }
}
