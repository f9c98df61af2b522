// Prisma 7's CLI fetches a schema engine on every command; none is reachable offline and we never
// need one (migrations are applied by scripts/migrate.ts). `/bin/false` lets `prisma generate` run.
process.env.PRISMA_SCHEMA_ENGINE_BINARY ??= "/bin/false";

import { defineConfig } from "prisma/config";

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: { url: process.env.DATABASE_URL ?? "postgresql://localhost:5432/unused" },
});
