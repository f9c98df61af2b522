// A fresh, migrated database for one benchmark size, on the shared Postgres (TEST_DATABASE_ADMIN_URL or
// DATABASE_URL's server) or, when neither is set, on an embedded server of its own.
import { randomBytes } from "node:crypto";
import {
  createDatabaseIfMissing,
  dropDatabase,
  MIGRATIONS_DIR,
  PROJECT_DIR,
  withDatabase,
} from "../../scripts/lib/database.ts";
import { startEmbeddedPostgres } from "../../scripts/lib/embedded-postgres.ts";
import { migrate } from "../../scripts/lib/migrations.ts";

const BENCH_PG_PORT = 54339;

export type BenchServer = { adminUrl: string; stop: () => Promise<void>; source: string };

export async function benchServer(): Promise<BenchServer> {
  if (process.env.TEST_DATABASE_ADMIN_URL)
    return {
      adminUrl: process.env.TEST_DATABASE_ADMIN_URL,
      stop: async () => {},
      source: "TEST_DATABASE_ADMIN_URL",
    };
  if (process.env.DATABASE_URL)
    return {
      adminUrl: withDatabase(process.env.DATABASE_URL, "postgres"),
      stop: async () => {},
      source: "DATABASE_URL's server",
    };
  const server = await startEmbeddedPostgres({
    projectDir: PROJECT_DIR,
    name: "postgres-bench",
    port: BENCH_PG_PORT,
    log: () => {},
  });
  return {
    adminUrl: server.adminUrl,
    stop: server.stop,
    source: `embedded PostgreSQL on port ${BENCH_PG_PORT}`,
  };
}

export async function freshDatabase(adminUrl: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `bench_sync_${randomBytes(4).toString("hex")}`;
  await createDatabaseIfMissing(adminUrl, name);
  const url = withDatabase(adminUrl, name);
  await migrate(url, MIGRATIONS_DIR);
  return { url, drop: () => dropDatabase(adminUrl, name) };
}
