import "server-only";
import { listAccountsForUser, type AccountChoice } from "@/lib/accounts/memberships";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { AccountRole } from "@/lib/generated/prisma/client";

// Which partner account a dashboard read is about. Every lib/dashboard read calls
// requireAccountMember first: the account comes from the URL (?account=…), so it is untrusted input.

export type AccountScope = { accounts: AccountChoice[]; current: AccountChoice };

/**
 * The user's accounts and the selected one (`requestedAccountId`, else their first); null without any.
 * AppError `forbidden` when the requested account is not theirs.
 */
export async function resolveAccountScope({
  userId,
  requestedAccountId,
}: {
  userId: string;
  requestedAccountId?: string | null;
}): Promise<AccountScope | null> {
  const accounts = await listAccountsForUser(userId);
  if (requestedAccountId) {
    const current = accounts.find((account) => account.id === requestedAccountId);
    if (!current) throw notAMember();
    return { accounts, current };
  }
  const first = accounts[0];
  return first ? { accounts, current: first } : null;
}

/** The user's role in the account; AppError `forbidden` when they are not a member. */
export async function requireAccountMember({
  userId,
  accountId,
}: {
  userId: string;
  accountId: string;
}): Promise<AccountRole> {
  const membership = await db.accountMember.findUnique({
    where: { accountId_userId: { accountId, userId } },
    select: { role: true },
  });
  if (!membership) throw notAMember();
  return membership.role;
}

/** `liveOnly` leaves out removed installations (their data is no longer synced). */
export async function accountInstallationIds({
  accountId,
  liveOnly = false,
}: {
  accountId: string;
  liveOnly?: boolean;
}): Promise<string[]> {
  const rows = await db.installation.findMany({
    where: { accountId, ...(liveOnly ? { status: { not: "removed" } } : {}) },
    select: { id: true },
  });
  return rows.map((row) => row.id);
}

function notAMember(): AppError {
  // One answer whether or not the account exists, so ids cannot be probed.
  return new AppError("forbidden", "You are not a member of this account.");
}
