import "server-only";
import { recordAudit } from "@/lib/audit/record-audit";
import { db } from "@/lib/db";
import { forgetInstallation } from "@/lib/installations/signed-cache";
import { errorSummary, log } from "@/lib/log";
import { createOrgApi } from "@/lib/officernd/org-api";

// Ending an installation: OfficeRnD's `integration.removed` webhook, or "Disconnect" in the partner UI.
// Idempotent, and safe against late events: with `expectedGeneration`, an installation reconnected
// since (generation bumped) is left alone.

export type TeardownInput = {
  installationId: string;
  /** Audit actor: `officernd:webhook`, `user:<id>`, `system`. */
  actor: string;
  /** Why, for the audit trail (e.g. "integration.removed", "disconnect"). */
  reason: string;
  /** Only tear down if the installation is still at this generation (not reconnected since). */
  expectedGeneration?: number;
  /** Also delete our webhook subscriptions at OfficeRnD (Disconnect; pointless after a removal). */
  deleteRemoteWebhooks?: boolean;
};

export type TeardownResult = {
  outcome: "removed" | "already_removed" | "stale_generation" | "not_found";
  cancelledRuns: number;
  remoteWebhooks: { deleted: number; failed: number };
};

/**
 * Deletes the tokens, cancels queued and running syncs (running workers notice at their next page or
 * heartbeat), marks the installation `removed` with `removedAt`, and records an audit event, all in
 * one transaction under a row lock. The synced copy is kept. Webhook subscriptions stay so that repeats
 * of the removal event still verify (and are answered 200, doing nothing).
 */
export async function teardownInstallation(input: TeardownInput): Promise<TeardownResult> {
  const remoteWebhooks = input.deleteRemoteWebhooks
    ? await deleteRemoteWebhooks(input.installationId)
    : { deleted: 0, failed: 0 };
  const now = new Date();
  const result = await db.$transaction(async (tx) => {
    const [row] = await tx.$queryRaw<
      { accountId: string; status: string; generation: number; syncEnabled: boolean }[]
    >`
      SELECT "accountId", "status"::text AS "status", "generation", "syncEnabled" FROM "Installation" WHERE "id" = ${input.installationId} FOR UPDATE`;
    if (!row) return { outcome: "not_found" as const, cancelledRuns: 0 };
    if (input.expectedGeneration !== undefined && row.generation !== input.expectedGeneration)
      return { outcome: "stale_generation" as const, cancelledRuns: 0 };
    if (row.status === "removed") return { outcome: "already_removed" as const, cancelledRuns: 0 };
    await tx.installation.update({
      where: { id: input.installationId },
      data: {
        status: "removed",
        removedAt: now,
        syncEnabled: false,
        accessTokenEnc: null,
        refreshTokenEnc: null,
        tokenExpiresAt: null,
      },
    });
    const cancelled = await tx.syncRun.updateMany({
      where: { installationId: input.installationId, status: { in: ["queued", "running"] } },
      data: { status: "cancelled", error: "The integration was removed.", finishedAt: now },
    });
    await recordAudit(
      {
        accountId: row.accountId,
        installationId: input.installationId,
        actor: input.actor,
        action: "installation.removed",
        before: { status: row.status, generation: row.generation, syncEnabled: row.syncEnabled },
        after: {
          status: "removed",
          reason: input.reason,
          cancelledRuns: cancelled.count,
          remoteWebhooksDeleted: remoteWebhooks.deleted,
        },
      },
      tx,
    );
    return { outcome: "removed" as const, cancelledRuns: cancelled.count };
  });
  forgetInstallation({ installationId: input.installationId });
  if (result.outcome === "removed")
    log.info(
      { installationId: input.installationId, reason: input.reason, actor: input.actor },
      "installation removed",
    );
  return { ...result, remoteWebhooks };
}

/** Best effort, while the tokens still work: a failure is logged and counted, never blocks the teardown. */
async function deleteRemoteWebhooks(installationId: string): Promise<{ deleted: number; failed: number }> {
  const installation = await db.installation.findUnique({
    where: { id: installationId },
    select: {
      status: true,
      orgSlug: true,
      regionUrl: true,
      webhooks: { select: { id: true, remoteId: true } },
    },
  });
  if (!installation || installation.status === "removed" || installation.webhooks.length === 0)
    return { deleted: 0, failed: 0 };
  const client = createOrgApi(
    { installationId, orgSlug: installation.orgSlug, regionUrl: installation.regionUrl },
    { policy: { maxAttempts: 3 } },
  );
  let deleted = 0;
  let failed = 0;
  for (const webhook of installation.webhooks) {
    try {
      await client.deleteWebhook(webhook.remoteId);
      await db.webhookSubscription.delete({ where: { id: webhook.id } });
      forgetInstallation({ installationId });
      deleted++;
    } catch (error) {
      failed++;
      log.warn(
        { installationId, webhookId: webhook.id, err: errorSummary(error) },
        "remote webhook not deleted",
      );
    }
  }
  return { deleted, failed };
}
