// Small helpers around a PostgreSQL server: derive URLs, create databases, and give `npm run dev` /
// `npm run db:*` one place that decides between DATABASE_URL and the embedded server.
import { createHash } from "node:crypto";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { startEmbeddedPostgres } from "./embedded-postgres.ts";

export const PROJECT_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
export const MIGRATIONS_DIR = path.join(PROJECT_DIR, "prisma", "migrations");
export const DEV_PG_PORT = Number(process.env.DEV_PG_PORT ?? 54321);
/** Folder under .data/ for the dev server's data; the stop test points it elsewhere. */
export const DEV_PG_DIR = process.env.DEV_PG_DIR ?? "postgres-dev";
/**
 * Named after this checkout's path: a worker or app left over from another clone (whose `npm run dev`
 * used the same port) finds no such database here and cannot write into this one.
 */
export const DEV_DATABASE = devDatabaseName(PROJECT_DIR);

export function devDatabaseName(projectDir: string): string {
  return `officernd_dev_${createHash("sha256").update(path.resolve(projectDir)).digest("hex").slice(0, 10)}`;
}

export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

export async function createDatabaseIfMissing(
  adminUrl: string,
  database: string,
  template?: string,
): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [database]);
    if (rowCount) return;
    await client.query(
      `CREATE DATABASE ${pg.escapeIdentifier(database)}${template ? ` TEMPLATE ${pg.escapeIdentifier(template)}` : ""}`,
    );
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

/** Renames the database earlier versions used (`officernd_dev`, in this checkout's own data dir). */
async function adoptLegacyDevDatabase(adminUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ datname: string }>(
      "SELECT datname FROM pg_database WHERE datname IN ('officernd_dev', $1)",
      [DEV_DATABASE],
    );
    if (rows.length !== 1 || rows[0]?.datname !== "officernd_dev") return;
    await client.query(`ALTER DATABASE officernd_dev RENAME TO ${pg.escapeIdentifier(DEV_DATABASE)}`);
  } catch {
    // in use (an old worker still attached): keep it, and start this checkout's own database
  } finally {
    await client.end();
  }
}

/** DATABASE_URL when set (nothing is started), else the embedded development server and database. */
export async function resolveDevDatabase(
  log: (line: string) => void = console.log,
): Promise<{ databaseUrl: string; isEmbedded: boolean; stop: () => Promise<void>; kill: () => void }> {
  const configured = process.env.DATABASE_URL;
  if (configured) return { databaseUrl: configured, isEmbedded: false, stop: async () => {}, kill: () => {} };
  const server = await startEmbeddedPostgres({
    projectDir: PROJECT_DIR,
    name: DEV_PG_DIR,
    port: DEV_PG_PORT,
    log,
  });
  await adoptLegacyDevDatabase(server.adminUrl);
  await createDatabaseIfMissing(server.adminUrl, DEV_DATABASE);
  return {
    databaseUrl: withDatabase(server.adminUrl, DEV_DATABASE),
    isEmbedded: true,
    stop: server.stop,
    kill: server.kill,
  };
}
