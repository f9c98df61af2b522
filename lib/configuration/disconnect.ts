import "server-only";
import type { ConfigureViewer } from "@/lib/configuration/access";
import { officeRndReturnUrl } from "@/lib/installations/token-state";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { teardownInstallation } from "@/lib/installations/teardown";

// "Disconnect" on the configuration page: our webhook subscriptions are deleted at OfficeRnD while the
// tokens still work, then teardownInstallation deletes the tokens, cancels syncs, marks the
// installation removed and records the audit event. The synced copy and the audit trail stay.

export type DisconnectResult = {
  returnUrl: string;
  remoteWebhooksDeleted: number;
  remoteWebhooksFailed: number;
  cancelledRuns: number;
};

export async function disconnectInstallation({
  viewer,
}: {
  viewer: ConfigureViewer;
}): Promise<DisconnectResult> {
  const installation = await db.installation.findUnique({
    where: { id: viewer.installationId },
    select: { regionUrl: true },
  });
  if (!installation) throw new AppError("not_found", "No such installation.");
  const result = await teardownInstallation({
    installationId: viewer.installationId,
    actor: viewer.actor,
    reason: "disconnect",
    deleteRemoteWebhooks: true,
  });
  if (result.outcome === "not_found") throw new AppError("not_found", "No such installation.");
  if (result.outcome === "already_removed")
    throw new AppError("conflict", "This integration is already disconnected.");
  return {
    returnUrl: officeRndReturnUrl(installation.regionUrl),
    remoteWebhooksDeleted: result.remoteWebhooks.deleted,
    remoteWebhooksFailed: result.remoteWebhooks.failed,
    cancelledRuns: result.cancelledRuns,
  };
}
