// npm run db:seed – seeds DATABASE_URL (or the embedded dev database) with the demo data.
import { resolveDevDatabase } from "./lib/database.ts";

const database = await resolveDevDatabase();
process.env.DATABASE_URL = database.databaseUrl;
try {
  const { seedDemoData, DEMO_LOGIN } = await import("../prisma/seed.ts");
  const { db } = await import("@/lib/db");
  await seedDemoData();
  await db.$disconnect();
  console.log(`Seeded demo data. Sign in as ${DEMO_LOGIN.email} / ${DEMO_LOGIN.password}`);
} finally {
  await database.stop();
}
