import "server-only";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { env } from "@/lib/env";

// One client per process. Next's dev server re-evaluates modules on every edit, so the client is kept
// on globalThis there to avoid opening a new pool each time.
const globalForDb = globalThis as unknown as { prisma?: PrismaClient };

function createClient(): PrismaClient {
  const adapter = new PrismaPg({
    connectionString: env().DATABASE_URL,
    max: 10,
    // Fail fast when Postgres is down so callers can answer 503 instead of hanging.
    connectionTimeoutMillis: 3_000,
    query_timeout: 15_000,
    // As lib/sql-pool.ts: connections outlive a lull of a minute (pg's default is 10 s).
    idleTimeoutMillis: 60_000,
  });
  return new PrismaClient({ adapter });
}

export const db: PrismaClient = new Proxy({} as PrismaClient, {
  get(_target, property) {
    globalForDb.prisma ??= createClient();
    const value = Reflect.get(globalForDb.prisma, property, globalForDb.prisma) as unknown;
    return typeof value === "function"
      ? (value as (...args: unknown[]) => unknown).bind(globalForDb.prisma)
      : value;
  },
});
