// The PostgreSQL server tests use: TEST_DATABASE_ADMIN_URL when the test orchestrator already started
// one, the server of DATABASE_URL when that is set, else an embedded server on its own port (so a
// running `npm run dev` is untouched). Every test file then gets its own database from a template.
import { createHash } from "node:crypto";
import pg from "pg";
import {
  createDatabaseIfMissing,
  MIGRATIONS_DIR,
  PROJECT_DIR,
  withDatabase,
} from "../../scripts/lib/database.ts";
import { startEmbeddedPostgres } from "../../scripts/lib/embedded-postgres.ts";
import { migrate, readMigrations } from "../../scripts/lib/migrations.ts";

export const TEST_PG_PORT = Number(process.env.TEST_PG_PORT ?? 54329);

export async function ensureTestServer(): Promise<{
  adminUrl: string;
  stop: () => Promise<void>;
  kill: () => void;
}> {
  if (process.env.TEST_DATABASE_ADMIN_URL)
    return { adminUrl: process.env.TEST_DATABASE_ADMIN_URL, stop: async () => {}, kill: () => {} };
  if (process.env.DATABASE_URL)
    return {
      adminUrl: withDatabase(process.env.DATABASE_URL, "postgres"),
      stop: async () => {},
      kill: () => {},
    };
  const server = await startEmbeddedPostgres({
    projectDir: PROJECT_DIR,
    name: "postgres-test",
    port: TEST_PG_PORT,
    isDisposable: true,
    log: () => {},
  });
  return { adminUrl: server.adminUrl, stop: server.stop, kill: server.kill };
}

/** A migrated template named after the migrations' checksums, built once under a lock and reused. */
export async function ensureTemplate(adminUrl: string): Promise<string> {
  const digest = createHash("sha256")
    .update(
      readMigrations(MIGRATIONS_DIR)
        .map((file) => file.checksum)
        .join(","),
    )
    .digest("hex")
    .slice(0, 12);
  const template = `tpl_${digest}`;
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query("SELECT pg_advisory_lock(4242001)");
    const { rowCount } = await client.query(
      "SELECT 1 FROM pg_database WHERE datname = $1 AND datistemplate",
      [template],
    );
    if (!rowCount) {
      await client.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(template)}`);
      await createDatabaseIfMissing(adminUrl, template);
      await migrate(withDatabase(adminUrl, template), MIGRATIONS_DIR);
      await client.query(`ALTER DATABASE ${pg.escapeIdentifier(template)} WITH is_template = true`);
    }
  } finally {
    await client.query("SELECT pg_advisory_unlock(4242001)");
    await client.end();
  }
  return template;
}

export function uniqueDatabaseName(prefix: string): string {
  return `${prefix}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
}
