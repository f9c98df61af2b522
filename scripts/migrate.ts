// npm run db:migrate – applies prisma/migrations to DATABASE_URL (or the embedded dev database).
import { MIGRATIONS_DIR, resolveDevDatabase } from "./lib/database.ts";
import { migrate } from "./lib/migrations.ts";

try {
  const database = await resolveDevDatabase();
  try {
    const { applied, alreadyApplied } = await migrate(database.databaseUrl, MIGRATIONS_DIR);
    console.log(
      applied.length > 0
        ? `Applied ${applied.length} migration(s): ${applied.join(", ")}`
        : `Database is up to date (${alreadyApplied.length} migration(s) applied).`,
    );
  } finally {
    await database.stop();
  }
} catch (error) {
  console.error(`db:migrate failed: ${(error as Error).message}`);
  process.exitCode = 1;
}
