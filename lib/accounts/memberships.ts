import "server-only";
import type { AccountRole } from "@/lib/generated/prisma/client";
import { db } from "@/lib/db";

// Which partner accounts a user belongs to, and in which of them they may connect OfficeRnD.

export type AccountChoice = { id: string; name: string; role: AccountRole };

/** Roles allowed to link an OfficeRnD organisation to an account (members only read). */
export const CONNECT_ROLES: readonly AccountRole[] = ["owner", "admin"];

export function canConnect(role: AccountRole): boolean {
  return CONNECT_ROLES.includes(role);
}

/** The user's accounts, by name. */
export async function listAccountsForUser(userId: string): Promise<AccountChoice[]> {
  const memberships = await db.accountMember.findMany({
    where: { userId },
    select: { role: true, account: { select: { id: true, name: true } } },
    orderBy: { account: { name: "asc" } },
  });
  return memberships.map(({ role, account }) => ({ id: account.id, name: account.name, role }));
}

/** The user's role in one account, or null when they are not in it. */
export async function getRole({
  userId,
  accountId,
}: {
  userId: string;
  accountId: string;
}): Promise<AccountRole | null> {
  const membership = await db.accountMember.findUnique({
    where: { accountId_userId: { accountId, userId } },
    select: { role: true },
  });
  return membership?.role ?? null;
}
