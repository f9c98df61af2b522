import "server-only";
import { randomUUID } from "node:crypto";
import { canConnect, getRole } from "@/lib/accounts/memberships";
import { recordAudit } from "@/lib/audit/record-audit";
import { encryptSecret } from "@/lib/crypto/secrets";
import { forgetInstallation } from "@/lib/installations/signed-cache";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { errorSummary, log } from "@/lib/log";
import { ConnectFailure, failureReasonOf, type FailureReason } from "@/lib/connect/failures";
import {
  cancelPending,
  claimPending,
  markPendingFailed,
  returnUrlFor,
  type PendingCredentials,
  type PendingView,
} from "@/lib/connect/pending";
import {
  removeStaleWebhooks,
  subscribeWebhooks,
  unsubscribeWebhooks,
  type NewSubscription,
} from "@/lib/connect/webhook-subscriptions";

// The admin pressed Connect: link the pending connection to a partner account. Remote webhook
// subscriptions are created first (their URL names the installation); the installation, its
// locations and subscriptions are then written in one transaction. If that fails, the new remote
// subscriptions are removed again; once it commits, the subscriptions of a previous connection go.

export type CompleteInput = {
  pendingId: string;
  state: string | undefined;
  userId: string;
  accountId: string;
};
export type CompleteResult =
  | { ok: true; installationId: string; isReconnect: boolean; returnUrl: string }
  | { ok: false; reason: FailureReason; returnUrl: string };

type Existing = {
  id: string;
  accountId: string;
  status: string;
  generation: number;
  webhooks: { remoteId: string }[];
};

export async function completeConnection(input: CompleteInput): Promise<CompleteResult> {
  const claim = await claimPending({ pendingId: input.pendingId, state: input.state });
  if (!claim.ok) {
    log.warn({ pendingId: input.pendingId, reason: claim.reason }, "connect failed");
    return {
      ok: false,
      reason: claim.reason,
      returnUrl: returnUrlFor(claim.reason === "state_mismatch" ? null : claim.pending?.regionUrl),
    };
  }
  const { pending, credentials } = claim;
  const returnUrl = returnUrlFor(pending.regionUrl);
  try {
    const result = await connect({ ...input, pending, credentials });
    log.info(
      {
        pendingId: pending.id,
        installationId: result.installationId,
        orgSlug: pending.orgSlug,
        integrationId: pending.integrationId,
        isReconnect: result.isReconnect,
      },
      "connect completed",
    );
    return { ok: true, ...result, returnUrl };
  } catch (error) {
    const reason = failureReasonOf(error);
    log.warn(
      {
        pendingId: pending.id,
        orgSlug: pending.orgSlug,
        integrationId: pending.integrationId,
        reason,
        detail: errorSummary(error),
      },
      "connect failed",
    );
    await markPendingFailed(pending.id, reason).catch((markError: unknown) =>
      log.error({ pendingId: pending.id, err: String(markError) }, "could not record the connect failure"),
    );
    return { ok: false, reason, returnUrl };
  }
}

/** Cancel: the request is used up; nothing is written but the pending row's outcome. */
export async function cancelConnection({
  pendingId,
  state,
}: {
  pendingId: string;
  state: string | undefined;
}): Promise<{ reason: FailureReason; returnUrl: string }> {
  const result = await cancelPending({ pendingId, state });
  const reason = result.ok ? "cancelled" : result.reason;
  // One message for every way a connect ends without a connection; the reason tells them apart.
  log.warn({ pendingId, reason }, "connect failed");
  return { reason, returnUrl: returnUrlFor(reason === "state_mismatch" ? null : result.pending?.regionUrl) };
}

type ConnectInput = CompleteInput & { pending: PendingView; credentials: PendingCredentials };

async function connect({
  pending,
  credentials,
  userId,
  accountId,
}: ConnectInput): Promise<{ installationId: string; isReconnect: boolean }> {
  const role = await getRole({ userId, accountId });
  if (!role || !canConnect(role))
    throw new ConnectFailure("account_not_allowed", `role ${role ?? "none"} in the chosen account`);
  const regionUrl = pending.regionUrl;
  if (!regionUrl) throw new ConnectFailure("internal", "pending connection has no region");
  const existing = await db.installation.findUnique({
    where: { orgSlug_integrationId: { orgSlug: pending.orgSlug, integrationId: pending.integrationId } },
    select: {
      id: true,
      accountId: true,
      status: true,
      generation: true,
      webhooks: { select: { remoteId: true } },
    },
  });
  const installationId = existing?.id ?? randomUUID();
  await assertOrgAvailable({ client: db, orgSlug: pending.orgSlug, accountId, installationId });
  const access = { regionUrl, slug: pending.orgSlug, accessToken: credentials.accessToken };
  const subscriptions = await subscribeWebhooks({ ...access, installationId });
  try {
    await writeInstallation({
      pending,
      credentials,
      userId,
      accountId,
      installationId,
      existing,
      subscriptions,
    });
  } catch (error) {
    // Nothing of a failed connect may stay behind, remotely either.
    await unsubscribeWebhooks({
      ...access,
      remoteIds: subscriptions.map((subscription) => subscription.remoteId),
    });
    throw error;
  }
  const kept = subscriptions.map((subscription) => subscription.remoteId);
  const replaced = (existing?.webhooks ?? [])
    .map((webhook) => webhook.remoteId)
    .filter((remoteId) => !kept.includes(remoteId));
  if (replaced.length > 0) await unsubscribeWebhooks({ ...access, remoteIds: replaced });
  if (existing) await removeStaleWebhooks({ ...access, installationId, keep: kept });
  return { installationId, isReconnect: existing !== null };
}

/** ALLOW_MULTIPLE_ACCOUNTS_PER_ORG=false: one organisation, one partner account. */
async function assertOrgAvailable({
  client,
  orgSlug,
  accountId,
  installationId,
}: {
  client: Pick<typeof db, "installation">;
  orgSlug: string;
  accountId: string;
  installationId: string;
}) {
  if (env().ALLOW_MULTIPLE_ACCOUNTS_PER_ORG) return;
  const others = await client.installation.count({
    where: {
      orgSlug,
      status: { not: "removed" },
      accountId: { not: accountId },
      id: { not: installationId },
    },
  });
  if (others > 0) throw new ConnectFailure("org_taken", `${orgSlug} is connected to another account`);
}

type WriteInput = {
  pending: PendingView;
  credentials: PendingCredentials;
  userId: string;
  accountId: string;
  installationId: string;
  existing: Existing | null;
  subscriptions: NewSubscription[];
};

async function writeInstallation({
  pending,
  credentials,
  userId,
  accountId,
  installationId,
  existing,
  subscriptions,
}: WriteInput): Promise<void> {
  const id = installationId;
  const fields = {
    accountId,
    orgId: pending.orgId,
    orgName: pending.orgName ?? pending.orgSlug,
    regionUrl: pending.regionUrl!,
    locationsKey: pending.locationsKey,
    status: "active" as const,
    secretEnc: encryptSecret(credentials.secret, `installation:${id}:secret`),
    accessTokenEnc: encryptSecret(credentials.accessToken, `installation:${id}:access`),
    refreshTokenEnc: credentials.refreshToken
      ? encryptSecret(credentials.refreshToken, `installation:${id}:refresh`)
      : null,
    tokenScope: credentials.scope,
    tokenExpiresAt: new Date(credentials.expiresAt),
    connectedAt: new Date(),
    removedAt: null,
  };
  const locationIds = pending.locations.map((location) => location.id);
  await db.$transaction(
    async (tx) => {
      // Serialises connects of one organisation: the one-account rule and the unique key hold under races.
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`officernd-connect:${pending.orgSlug}`}))`;
      await assertOrgAvailable({ client: tx, orgSlug: pending.orgSlug, accountId, installationId: id });
      const current = await tx.installation.findUnique({
        where: { orgSlug_integrationId: { orgSlug: pending.orgSlug, integrationId: pending.integrationId } },
        select: { id: true, accountId: true, status: true, generation: true, locationsKey: true },
      });
      if ((current?.id ?? null) !== (existing?.id ?? null))
        throw new ConnectFailure("conflict", "the installation changed while connecting");
      if (current) {
        await tx.installation.update({ where: { id }, data: { ...fields, generation: { increment: 1 } } });
      } else {
        await tx.installation.create({
          data: { id, orgSlug: pending.orgSlug, integrationId: pending.integrationId, ...fields },
        });
      }
      // Locations still connected keep their settings and sync watermarks; the others go.
      await tx.installationLocation.deleteMany({
        where: { installationId: id, locationId: { notIn: locationIds } },
      });
      for (const location of pending.locations) {
        await tx.installationLocation.upsert({
          where: { installationId_locationId: { installationId: id, locationId: location.id } },
          update: { name: location.name },
          create: { installationId: id, locationId: location.id, name: location.name },
        });
      }
      await tx.webhookSubscription.deleteMany({ where: { installationId: id } });
      await tx.webhookSubscription.createMany({
        data: subscriptions.map((subscription) => ({
          id: subscription.id,
          installationId: id,
          remoteId: subscription.remoteId,
          url: subscription.url,
          eventTypes: subscription.eventTypes,
          secretEnc: encryptSecret(subscription.secret, `webhook:${subscription.id}:secret`),
        })),
      });
      await recordAudit(
        {
          accountId,
          installationId: id,
          actor: `user:${userId}`,
          action: current ? "installation.reconnected" : "installation.connected",
          before: current
            ? {
                accountId: current.accountId,
                status: current.status,
                generation: current.generation,
                locationsKey: current.locationsKey,
              }
            : undefined,
          after: {
            accountId,
            orgSlug: pending.orgSlug,
            integrationId: pending.integrationId,
            locationsKey: pending.locationsKey,
            generation: (current?.generation ?? 0) + 1,
          },
        },
        tx,
      );
      await tx.pendingConnection.update({
        where: { id: pending.id },
        data: { status: "completed", credentialsEnc: null },
      });
    },
    { timeout: 15_000, maxWait: 10_000 },
  );
  // New secret, locations and subscriptions: the signed routes' cache must not keep the old ones.
  forgetInstallation({ installationId: id, orgSlug: pending.orgSlug });
}
