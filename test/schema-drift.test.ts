import { readFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inject } from "vitest";
import {
  createDatabaseIfMissing,
  dropDatabase,
  MIGRATIONS_DIR,
  PROJECT_DIR,
  withDatabase,
} from "../scripts/lib/database.ts";
import { migrate } from "../scripts/lib/migrations.ts";
import { parsePrismaSchema } from "./support/prisma-schema.ts";
import { uniqueDatabaseName } from "./support/test-postgres.ts";

// Applies every migration to an empty database and proves that what they create is exactly what
// prisma/schema.prisma declares: tables, columns, types, nullability, defaults, keys and indexes.
const adminUrl = inject("testDatabaseAdminUrl");
const database = uniqueDatabaseName("drift");
const expected = parsePrismaSchema(readFileSync(path.join(PROJECT_DIR, "prisma", "schema.prisma"), "utf8"));
let client: pg.Client;

type ActualIndex = { table: string; columns: string[]; isUnique: boolean; isPrimary: boolean };

beforeAll(async () => {
  await createDatabaseIfMissing(adminUrl, database);
  await migrate(withDatabase(adminUrl, database), MIGRATIONS_DIR);
  client = new pg.Client({ connectionString: withDatabase(adminUrl, database) });
  await client.connect();
});

afterAll(async () => {
  await client.end();
  await dropDatabase(adminUrl, database);
});

async function actualColumns(table: string) {
  const { rows } = await client.query<{
    name: string;
    type: string;
    is_nullable: boolean;
    has_default: boolean;
  }>(
    `SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type, NOT a.attnotnull AS is_nullable, a.atthasdef AS has_default
       FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relname = $1 AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum`,
    [table],
  );
  return rows.map((row) => ({
    name: row.name,
    type: row.type,
    isNullable: row.is_nullable,
    hasDefault: row.has_default,
  }));
}

async function actualIndexes(): Promise<ActualIndex[]> {
  const { rows } = await client.query<{
    table: string;
    columns: string[];
    is_unique: boolean;
    is_primary: boolean;
  }>(
    `SELECT t.relname AS table, array_agg(a.attname::text ORDER BY k.ordinality) AS columns, i.indisunique AS is_unique, i.indisprimary AS is_primary
       FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid JOIN pg_namespace n ON n.oid = t.relnamespace
       CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ordinality)
       JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
      WHERE n.nspname = 'public' AND t.relname <> '_prisma_migrations'
      GROUP BY t.relname, i.indexrelid, i.indisunique, i.indisprimary`,
  );
  return rows.map((row) => ({
    table: row.table,
    columns: row.columns,
    isUnique: row.is_unique,
    isPrimary: row.is_primary,
  }));
}

describe("migrations match schema.prisma", () => {
  it("creates exactly the tables the schema declares", async () => {
    const { rows } = await client.query<{ name: string }>(
      "SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' AND tablename <> '_prisma_migrations'",
    );
    expect(rows.map((row) => row.name).sort()).toEqual(expected.tables.map((table) => table.name).sort());
  });

  it("creates exactly the enums the schema declares", async () => {
    const { rows } = await client.query<{ name: string; labels: string[] }>(
      "SELECT t.typname AS name, array_agg(e.enumlabel::text ORDER BY e.enumsortorder) AS labels FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid GROUP BY t.typname",
    );
    expect(Object.fromEntries(rows.map((row) => [row.name, row.labels]))).toEqual(expected.enums);
  });

  for (const table of expected.tables) {
    it(`${table.name}: every column with its type, nullability and default`, async () => {
      const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);
      expect((await actualColumns(table.name)).sort(byName)).toEqual([...table.columns].sort(byName));
    });
  }

  it("creates exactly the primary keys, unique constraints and indexes the schema declares", async () => {
    const key = (index: ActualIndex) =>
      `${index.table}(${index.columns.join(",")}) unique=${index.isUnique} primary=${index.isPrimary}`;
    const wanted = expected.tables.flatMap((table) =>
      table.indexes.map((index) => key({ table: table.name, ...index })),
    );
    expect((await actualIndexes()).map(key).sort()).toEqual(wanted.sort());
  });
});
