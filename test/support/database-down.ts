import pg from "pg";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@/lib/generated/prisma/client";

// A database outage for code under test: both of the app's clients — Prisma (lib/db.ts) and the pg
// pool of the hot statements (lib/sql-pool.ts) — are swapped on globalThis for ones pointed at a port
// nothing listens on, and restored afterwards. An outage takes both down at once, so a test must not
// swap only one of them (the code would then be half up).

const UNREACHABLE = "postgresql://nobody:nothing@127.0.0.1:9/none";

export async function withDatabaseDown<T>(run: () => Promise<T>): Promise<T> {
  const holder = globalThis as unknown as { prisma?: PrismaClient; syncSqlPool?: pg.Pool };
  const healthy = { prisma: holder.prisma, pool: holder.syncSqlPool };
  const downPrisma = new PrismaClient({
    adapter: new PrismaPg({ connectionString: UNREACHABLE, connectionTimeoutMillis: 1000 }),
  });
  const downPool = new pg.Pool({ connectionString: UNREACHABLE, connectionTimeoutMillis: 1000 });
  downPool.on("error", () => {});
  holder.prisma = downPrisma;
  holder.syncSqlPool = downPool;
  try {
    return await run();
  } finally {
    holder.prisma = healthy.prisma;
    holder.syncSqlPool = healthy.pool;
    await downPrisma.$disconnect().catch(() => {});
    await downPool.end().catch(() => {});
  }
}
