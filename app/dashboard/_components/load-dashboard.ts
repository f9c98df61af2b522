import "server-only";
import { redirect } from "next/navigation";
import { getSessionUser, type SessionUser } from "@/lib/auth/session";
import { resolveAccountScope, type AccountScope } from "@/lib/dashboard/account-scope";
import { readRememberedAccount } from "@/lib/dashboard/remembered-account";
import { AppError } from "@/lib/errors";

export type SearchParams = Record<string, string | string[] | undefined>;
export type DashboardContext = { user: SessionUser; scope: AccountScope | null; isForbidden: boolean };

/** The signed-in user (else a redirect to sign-in) and the account of `?account=`, else the remembered. */
export async function loadDashboard(searchParams: SearchParams, path: string): Promise<DashboardContext> {
  const user = await getSessionUser();
  const account = typeof searchParams.account === "string" ? searchParams.account : null;
  if (!user) {
    const back = account ? `${path}?account=${encodeURIComponent(account)}` : path;
    redirect(`/signin?callbackUrl=${encodeURIComponent(back)}`);
  }
  if (!account) {
    // A remembered account the user has since left is simply forgotten: the first account opens.
    const remembered = await readRememberedAccount();
    const scope = remembered
      ? await resolveAccountScope({ userId: user.id, requestedAccountId: remembered }).catch(() => null)
      : null;
    if (scope) return { user, scope, isForbidden: false };
  }
  try {
    return {
      user,
      scope: await resolveAccountScope({ userId: user.id, requestedAccountId: account }),
      isForbidden: false,
    };
  } catch (error) {
    if (error instanceof AppError && error.code === "forbidden")
      return { user, scope: null, isForbidden: true };
    throw error;
  }
}
