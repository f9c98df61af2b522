import "server-only";
import { recordAudit } from "@/lib/audit/record-audit";
import type { ConfigureViewer } from "@/lib/configuration/access";
import { requestSync } from "@/lib/sync/request-sync";
import { recreateWebhooks } from "@/lib/webhooks/subscription";

// The configuration header's one-click fixes (issue 13 part 4), for a viewer already authorised to
// change this installation. Each is audited.

export type FixResult = { done: "sync_queued" | "webhooks_recreated"; detail: string };

/** "Retry sync": a run for every enabled location (a queued one is reused). */
export async function retrySync({ viewer }: { viewer: ConfigureViewer }): Promise<FixResult> {
  const { runIds } = await requestSync({
    installationId: viewer.installationId,
    trigger: "configure.retry_sync",
  });
  await recordAudit({
    accountId: viewer.accountId,
    installationId: viewer.installationId,
    actor: viewer.actor,
    action: "sync.retry_requested",
    after: { runIds },
  });
  return {
    done: "sync_queued",
    detail: `Sync queued for ${runIds.length} ${runIds.length === 1 ? "location" : "locations"}.`,
  };
}

/** "Recreate webhooks": a new subscription at OfficeRnD replaces the one we store. */
export async function recreateWebhooksFix({ viewer }: { viewer: ConfigureViewer }): Promise<FixResult> {
  await recreateWebhooks({ installationId: viewer.installationId, actor: viewer.actor });
  return { done: "webhooks_recreated", detail: "Webhooks recreated at OfficeRnD." };
}
