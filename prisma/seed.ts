// npm run db:seed – demo data for `npm run dev`: one partner user in two accounts (so the account
// picker shows), idempotent so every start can run it.
import { db } from "@/lib/db";
import { hashPassword } from "@/lib/auth/password";

export const DEMO_LOGIN = { email: "demo@example.com", password: "demo-password" };
const DEMO_ACCOUNTS = [
  { id: "00000000-0000-4000-8000-000000000001", name: "Demo Coworking Partners", role: "owner" as const },
  { id: "00000000-0000-4000-8000-000000000002", name: "Second Demo Account", role: "admin" as const },
];

export async function seedDemoData(): Promise<void> {
  const user = await db.user.upsert({
    where: { email: DEMO_LOGIN.email },
    update: {},
    create: {
      email: DEMO_LOGIN.email,
      name: "Demo User",
      passwordHash: await hashPassword(DEMO_LOGIN.password),
    },
  });
  for (const account of DEMO_ACCOUNTS) {
    await db.account.upsert({
      where: { id: account.id },
      update: {},
      create: { id: account.id, name: account.name },
    });
    await db.accountMember.upsert({
      where: { accountId_userId: { accountId: account.id, userId: user.id } },
      update: {},
      create: { accountId: account.id, userId: user.id, role: account.role },
    });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await seedDemoData();
  console.log(`Seeded demo data. Sign in as ${DEMO_LOGIN.email} / ${DEMO_LOGIN.password}`);
  await db.$disconnect();
}
