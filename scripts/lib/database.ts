// Small helpers around a PostgreSQL server: derive URLs, create databases, and give `npm run dev` /
// `npm run db:*` one place that decides between DATABASE_URL and the embedded server.
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { startEmbeddedPostgres } from "./embedded-postgres.ts";

export const PROJECT_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
export const MIGRATIONS_DIR = path.join(PROJECT_DIR, "prisma", "migrations");
export const DEV_PG_PORT = 54321;
export const DEV_DATABASE = "officernd_dev";

export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

export async function createDatabaseIfMissing(adminUrl: string, database: string, template?: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [database]);
    if (rowCount) return;
    await client.query(`CREATE DATABASE ${pg.escapeIdentifier(database)}${template ? ` TEMPLATE ${pg.escapeIdentifier(template)}` : ""}`);
  } finally {
    await client.end();
  }
}

export async function dropDatabase(adminUrl: string, database: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(database)} WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

/** DATABASE_URL when set (nothing is started), else the embedded development server and database. */
export async function resolveDevDatabase(
  log: (line: string) => void = console.log,
): Promise<{ databaseUrl: string; isEmbedded: boolean; stop: () => Promise<void> }> {
  const configured = process.env.DATABASE_URL;
  if (configured) return { databaseUrl: configured, isEmbedded: false, stop: async () => {} };
  const server = await startEmbeddedPostgres({ projectDir: PROJECT_DIR, name: "postgres-dev", port: DEV_PG_PORT, log });
  await createDatabaseIfMissing(server.adminUrl, DEV_DATABASE);
  return { databaseUrl: withDatabase(server.adminUrl, DEV_DATABASE), isEmbedded: true, stop: server.stop };
}
