// Applies prisma/migrations/*/migration.sql the way `prisma migrate deploy` does (Prisma 7's schema
// engine cannot be downloaded here): under Prisma's advisory lock, one transaction per migration,
// recorded in `_prisma_migrations` with the SHA-256 checksum Prisma uses, refusing edited history.
import { createHash, randomUUID } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";

/** The lock id `prisma migrate` takes, so our runner and Prisma's never interleave. */
const PRISMA_MIGRATE_LOCK_ID = 72707369;

const CREATE_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id"                  VARCHAR(36) PRIMARY KEY NOT NULL,
  "checksum"            VARCHAR(64) NOT NULL,
  "finished_at"         TIMESTAMPTZ,
  "migration_name"      VARCHAR(255) NOT NULL,
  "logs"                TEXT,
  "rolled_back_at"      TIMESTAMPTZ,
  "started_at"          TIMESTAMPTZ NOT NULL DEFAULT now(),
  "applied_steps_count" INTEGER NOT NULL DEFAULT 0
)`;

export type MigrationFile = { name: string; sql: string; checksum: string };
export type MigrateResult = { applied: string[]; alreadyApplied: string[] };

export function checksumOf(sql: string): string {
  return createHash("sha256").update(sql, "utf8").digest("hex");
}

export function readMigrations(migrationsDir: string): MigrationFile[] {
  return readdirSync(migrationsDir, { withFileTypes: true })
    .filter(
      (entry) => entry.isDirectory() && existsSync(path.join(migrationsDir, entry.name, "migration.sql")),
    )
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(path.join(migrationsDir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: checksumOf(sql) };
    });
}

type AppliedRow = {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
};

/** Throws when the recorded history cannot be continued safely. Pure, so it is tested by table. */
export function planMigrations(
  files: MigrationFile[],
  applied: AppliedRow[],
): { pending: MigrationFile[]; alreadyApplied: string[] } {
  const live = applied.filter((row) => row.rolled_back_at === null);
  const failed = live.find((row) => row.finished_at === null);
  if (failed)
    throw new Error(
      `Migration ${failed.migration_name} failed earlier and was not rolled back. Fix the database by hand, then mark it rolled back in _prisma_migrations.`,
    );
  const byName = new Map(live.map((row) => [row.migration_name, row]));
  for (const row of live) {
    const file = files.find((candidate) => candidate.name === row.migration_name);
    if (!file)
      throw new Error(
        `Migration ${row.migration_name} is applied in the database but missing from prisma/migrations.`,
      );
    if (file.checksum !== row.checksum)
      throw new Error(
        `Migration ${row.migration_name} was edited after it was applied (checksum differs). Add a new migration instead of changing an applied one.`,
      );
  }
  return {
    pending: files.filter((file) => !byName.has(file.name)),
    alreadyApplied: files.filter((file) => byName.has(file.name)).map((file) => file.name),
  };
}

export async function migrate(databaseUrl: string, migrationsDir: string): Promise<MigrateResult> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [PRISMA_MIGRATE_LOCK_ID]);
    await client.query(CREATE_TABLE);
    const { rows } = await client.query<AppliedRow>(
      'SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations" ORDER BY started_at',
    );
    const { pending, alreadyApplied } = planMigrations(readMigrations(migrationsDir), rows);
    for (const file of pending) await applyOne(client, file);
    return { applied: pending.map((file) => file.name), alreadyApplied };
  } finally {
    await client.query("SELECT pg_advisory_unlock($1)", [PRISMA_MIGRATE_LOCK_ID]).catch(() => undefined);
    await client.end();
  }
}

async function applyOne(client: pg.Client, file: MigrationFile): Promise<void> {
  await client.query("BEGIN");
  try {
    const id = randomUUID();
    await client.query(
      'INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at) VALUES ($1, $2, $3, now())',
      [id, file.checksum, file.name],
    );
    await client.query(file.sql);
    await client.query(
      'UPDATE "_prisma_migrations" SET finished_at = now(), applied_steps_count = 1 WHERE id = $1',
      [id],
    );
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK");
    throw new Error(`Migration ${file.name} failed and was rolled back: ${(error as Error).message}`);
  }
}
