import "server-only";
import { randomUUID } from "node:crypto";
import { recordAudit } from "@/lib/audit/record-audit";
import { subscribeWebhooks } from "@/lib/connect/webhook-subscriptions";
import { encryptSecret } from "@/lib/crypto/secrets";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { forgetInstallation } from "@/lib/installations/signed-cache";
import { errorSummary, log } from "@/lib/log";
import { createOrgApi } from "@/lib/officernd/org-api";
import { getAccessToken } from "@/lib/officernd/tokens";

// Our webhook subscription at OfficeRnD (issue 13 part 3): does it still exist, and if not, make it
// again. A subscription deleted at OfficeRnD sends nothing and says nothing; only asking shows it.
// A failure to list is never read as "missing": nothing is recreated on a guess.

/** A background check: a failing list is retried a little, then reported (and tried again next round). */
const LIST_POLICY = { maxAttempts: 3 } as const;

export type SubscriptionCheck = { state: "ok" | "recreated"; remoteIds: string[] };

type Access = { regionUrl: string; slug: string; accessToken: string };

async function accessFor(
  installationId: string,
): Promise<Access & { accountId: string; webhooks: { id: string; remoteId: string }[] }> {
  const installation = await db.installation.findFirst({
    where: { id: installationId, status: "active" },
    select: {
      accountId: true,
      orgSlug: true,
      regionUrl: true,
      webhooks: { select: { id: true, remoteId: true } },
    },
  });
  if (!installation) throw new AppError("not_connected", "The installation is not active.");
  const accessToken = await getAccessToken(installationId);
  return {
    accountId: installation.accountId,
    regionUrl: installation.regionUrl,
    slug: installation.orgSlug,
    accessToken,
    webhooks: installation.webhooks,
  };
}

/** Lists OfficeRnD's subscriptions; recreates ours when none of the ones we store is there any more. */
export async function checkSubscription({
  installationId,
  now = new Date(),
}: {
  installationId: string;
  accountId?: string;
  now?: Date;
}): Promise<SubscriptionCheck> {
  try {
    const access = await accessFor(installationId);
    const remote = new Set(
      (
        await createOrgApi(
          { orgSlug: access.slug, regionUrl: access.regionUrl, accessToken: access.accessToken },
          { policy: LIST_POLICY },
        ).listWebhooks()
      ).map((webhook) => webhook.remoteId),
    );
    const present = access.webhooks
      .filter((webhook) => remote.has(webhook.remoteId))
      .map((webhook) => webhook.remoteId);
    if (present.length > 0) {
      await saveHealth(installationId, {
        subscriptionCheckedAt: now,
        subscriptionMissingSince: null,
        subscriptionError: null,
      });
      return { state: "ok", remoteIds: present };
    }
    const existing = await db.webhookHealth.findUnique({
      where: { installationId },
      select: { subscriptionMissingSince: true },
    });
    await saveHealth(installationId, {
      subscriptionCheckedAt: now,
      subscriptionMissingSince: existing?.subscriptionMissingSince ?? now,
    });
    log.warn(
      { installationId, stored: access.webhooks.length },
      "our webhook subscription is gone at OfficeRnD; recreating it",
    );
    return await recreate(installationId, access, { actor: "system", now });
  } catch (error) {
    await saveHealth(installationId, {
      subscriptionCheckedAt: now,
      subscriptionError: errorSummary(error).slice(0, 300),
    });
    throw error;
  }
}

/** "Recreate webhooks" (the configuration page's one-click fix): a new subscription, whatever exists. */
export async function recreateWebhooks({
  installationId,
  actor,
  now = new Date(),
}: {
  installationId: string;
  actor: string;
  now?: Date;
}): Promise<SubscriptionCheck> {
  const access = await accessFor(installationId);
  return recreate(installationId, access, { actor, now });
}

async function recreate(
  installationId: string,
  access: Access & { accountId: string; webhooks: { id: string; remoteId: string }[] },
  { actor, now }: { actor: string; now: Date },
): Promise<SubscriptionCheck> {
  const created = await subscribeWebhooks({
    installationId,
    regionUrl: access.regionUrl,
    slug: access.slug,
    accessToken: access.accessToken,
  });
  await db.$transaction(async (tx) => {
    // The old rows' secrets verify nothing any more: OfficeRnD no longer signs with them.
    await tx.webhookSubscription.deleteMany({
      where: { installationId, id: { in: access.webhooks.map((webhook) => webhook.id) } },
    });
    for (const subscription of created) {
      const id = subscription.id || randomUUID();
      await tx.webhookSubscription.create({
        data: {
          id,
          installationId,
          remoteId: subscription.remoteId,
          url: subscription.url,
          eventTypes: subscription.eventTypes,
          secretEnc: encryptSecret(subscription.secret, `webhook:${id}:secret`),
        },
      });
    }
    await recordAudit(
      {
        accountId: access.accountId,
        installationId,
        actor,
        action: "webhooks.subscription_recreated",
        before: { remoteIds: access.webhooks.map((webhook) => webhook.remoteId) },
        after: { remoteIds: created.map((subscription) => subscription.remoteId) },
      },
      tx,
    );
  });
  forgetInstallation({ installationId });
  await saveHealth(installationId, {
    subscriptionCheckedAt: now,
    subscriptionRecreatedAt: now,
    subscriptionMissingSince: null,
    subscriptionError: null,
  });
  return { state: "recreated", remoteIds: created.map((subscription) => subscription.remoteId) };
}

type HealthFields = {
  subscriptionCheckedAt?: Date;
  subscriptionMissingSince?: Date | null;
  subscriptionRecreatedAt?: Date;
  subscriptionError?: string | null;
};

async function saveHealth(installationId: string, data: HealthFields): Promise<void> {
  await db.webhookHealth.upsert({
    where: { installationId },
    create: { installationId, ...data },
    update: data,
  });
}
