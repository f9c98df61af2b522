"use server";
// Server actions of the partner dashboard.
import { redirect } from "next/navigation";
import { z } from "zod";
import { getSessionUser } from "@/lib/auth/session";
import { requireAccountMember } from "@/lib/dashboard/account-scope";
import { rememberAccount } from "@/lib/dashboard/remembered-account";

const DASHBOARD_PATHS = [
  "/dashboard",
  "/dashboard/directory",
  "/dashboard/history",
  "/dashboard/audit",
] as const;
const chooseSchema = z.object({ account: z.uuid(), path: z.enum(DASHBOARD_PATHS).catch("/dashboard") });

/** The account switcher: remembers the choice for the next visit (members only) and opens it. */
export async function chooseAccount(formData: FormData): Promise<void> {
  const user = await getSessionUser();
  if (!user) redirect("/signin?callbackUrl=%2Fdashboard");
  const parsed = chooseSchema.safeParse({ account: formData.get("account"), path: formData.get("path") });
  if (!parsed.success) redirect("/dashboard");
  const { account, path } = parsed.data;
  try {
    await requireAccountMember({ userId: user.id, accountId: account });
    await rememberAccount(account);
  } catch {
    // Not a member: nothing is remembered; the page itself says "No access to this account".
  }
  redirect(`${path}?account=${encodeURIComponent(account)}`);
}
