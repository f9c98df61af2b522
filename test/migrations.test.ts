import { cpSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it, inject } from "vitest";
import {
  createDatabaseIfMissing,
  dropDatabase,
  MIGRATIONS_DIR,
  withDatabase,
} from "../scripts/lib/database.ts";
import { checksumOf, migrate, readMigrations } from "../scripts/lib/migrations.ts";
import { uniqueDatabaseName } from "./support/test-postgres.ts";

const adminUrl = inject("testDatabaseAdminUrl");
const created: string[] = [];

async function emptyDatabase(): Promise<string> {
  const name = uniqueDatabaseName("mig");
  created.push(name);
  await createDatabaseIfMissing(adminUrl, name);
  return withDatabase(adminUrl, name);
}

function copyOfMigrations(): string {
  const dir = mkdtempSync(path.join(tmpdir(), "migrations-"));
  cpSync(MIGRATIONS_DIR, dir, { recursive: true });
  return dir;
}

async function recorded(url: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const { rows } = await client.query<{
    migration_name: string;
    checksum: string;
    finished_at: Date | null;
    applied_steps_count: number;
  }>(
    'SELECT migration_name, checksum, finished_at, applied_steps_count FROM "_prisma_migrations" ORDER BY migration_name',
  );
  await client.end();
  return rows;
}

afterAll(async () => {
  for (const name of created) await dropDatabase(adminUrl, name);
});

describe("migration runner", () => {
  it("records each migration as prisma migrate deploy does, with the SHA-256 of its file", async () => {
    const url = await emptyDatabase();
    const result = await migrate(url, MIGRATIONS_DIR);
    const files = readMigrations(MIGRATIONS_DIR);
    expect(result.applied).toEqual(files.map((file) => file.name));
    const rows = await recorded(url);
    expect(rows.map((row) => [row.migration_name, row.checksum, row.applied_steps_count])).toEqual(
      files.map((file) => [file.name, checksumOf(file.sql), 1]),
    );
    expect(rows.every((row) => row.finished_at instanceof Date)).toBe(true);
  });

  it("applies nothing the second time", async () => {
    const url = await emptyDatabase();
    await migrate(url, MIGRATIONS_DIR);
    expect((await migrate(url, MIGRATIONS_DIR)).applied).toEqual([]);
  });

  it("serialises concurrent runs with the advisory lock so each migration is applied once", async () => {
    const url = await emptyDatabase();
    const results = await Promise.all([
      migrate(url, MIGRATIONS_DIR),
      migrate(url, MIGRATIONS_DIR),
      migrate(url, MIGRATIONS_DIR),
    ]);
    expect(results.flatMap((result) => result.applied)).toEqual(
      readMigrations(MIGRATIONS_DIR).map((file) => file.name),
    );
    expect((await recorded(url)).length).toBe(readMigrations(MIGRATIONS_DIR).length);
  });

  it("refuses to run when an applied migration's file was edited", async () => {
    const url = await emptyDatabase();
    const dir = copyOfMigrations();
    await migrate(url, dir);
    const first = readMigrations(dir)[0]!;
    writeFileSync(path.join(dir, first.name, "migration.sql"), `${first.sql}\n-- edited\n`);
    await expect(migrate(url, dir)).rejects.toThrow(/was edited after it was applied/);
  });

  it("rolls back a failing migration completely and records nothing for it", async () => {
    const url = await emptyDatabase();
    const dir = copyOfMigrations();
    const broken = path.join(dir, "29990101000000_broken");
    cpSync(path.join(dir, readMigrations(dir)[0]!.name), broken, { recursive: true });
    writeFileSync(
      path.join(broken, "migration.sql"),
      'CREATE TABLE "Half" (id int);\nSELECT * FROM "no_such_table";\n',
    );
    await expect(migrate(url, dir)).rejects.toThrow(/29990101000000_broken failed and was rolled back/);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const { rowCount } = await client.query("SELECT 1 FROM pg_tables WHERE tablename = 'Half'");
    await client.end();
    expect(rowCount).toBe(0);
    expect((await recorded(url)).map((row) => row.migration_name)).not.toContain("29990101000000_broken");
  });
});
