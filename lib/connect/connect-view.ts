import "server-only";
import { canConnect, listAccountsForUser, type AccountChoice } from "@/lib/accounts/memberships";
import { db } from "@/lib/db";
import { log } from "@/lib/log";
import type { FailureReason } from "@/lib/connect/failures";
import { findPendingForBrowser, returnUrlFor, unusableReason } from "@/lib/connect/pending";
import type { NamedLocation } from "@/lib/connect/location-names";

// What the popup at /connect/<id> shows: the confirmation, a sign-in prompt, or how it ended.

type Organisation = { orgName: string; orgSlug: string; locations: NamedLocation[]; isAllLocations: boolean };

export type ConnectView =
  | { kind: "failed"; reason: FailureReason; returnUrl: string }
  | { kind: "completed"; returnUrl: string; orgName: string }
  | ({ kind: "sign_in"; returnUrl: string } & Organisation)
  | ({ kind: "no_accounts"; returnUrl: string; pendingId: string } & Organisation)
  | ({
      kind: "confirm";
      pendingId: string;
      returnUrl: string;
      accounts: AccountChoice[];
      defaultAccountId: string;
      /** The account the integration is connected to today (a reconnect), if the user can see it. */
      currentAccountName: string | null;
      expiresAt: Date;
    } & Organisation);

export async function loadConnectView({
  pendingId,
  state,
  userId,
}: {
  pendingId: string;
  state: string | undefined;
  userId: string | null;
}): Promise<ConnectView> {
  const pending = await findPendingForBrowser({ pendingId, state });
  if (!pending) {
    log.warn({ pendingId, reason: "state_mismatch" }, "connect failed");
    return { kind: "failed", reason: "state_mismatch", returnUrl: returnUrlFor(null) };
  }
  const returnUrl = returnUrlFor(pending.regionUrl);
  const organisation: Organisation = {
    orgName: pending.orgName ?? pending.orgSlug,
    orgSlug: pending.orgSlug,
    locations: pending.locations,
    isAllLocations: pending.locationsKey === "",
  };
  if (pending.status === "completed") return { kind: "completed", returnUrl, orgName: organisation.orgName };
  const reason = unusableReason(pending, new Date());
  if (reason) {
    if (reason === "expired") log.warn({ pendingId, reason }, "connect failed");
    return { kind: "failed", reason, returnUrl };
  }
  if (!userId) return { kind: "sign_in", returnUrl, ...organisation };
  const accounts = (await listAccountsForUser(userId)).filter((account) => canConnect(account.role));
  if (accounts.length === 0) return { kind: "no_accounts", returnUrl, pendingId, ...organisation };
  const current = await db.installation.findUnique({
    where: { orgSlug_integrationId: { orgSlug: pending.orgSlug, integrationId: pending.integrationId } },
    select: { accountId: true, status: true },
  });
  const currentAccount =
    current && current.status !== "removed"
      ? accounts.find((account) => account.id === current.accountId)
      : undefined;
  return {
    kind: "confirm",
    pendingId,
    returnUrl,
    accounts,
    defaultAccountId: currentAccount?.id ?? accounts[0]!.id,
    currentAccountName: currentAccount?.name ?? null,
    expiresAt: pending.expiresAt,
    ...organisation,
  };
}
