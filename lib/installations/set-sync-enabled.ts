import "server-only";
import { recordAudit } from "@/lib/audit/record-audit";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { claimSignature, purgeExpiredSignatures, type SignatureClaim } from "@/lib/installations/replay";
import { errorSummary, log } from "@/lib/log";
import type { SyncIntent } from "@/lib/officernd/signed-query";
import { requestSync } from "@/lib/sync/request-sync";

// Turns an installation's synchronisation on or off (OfficeRnD's Sync URL, or any other caller).

export type SetSyncEnabledInput = {
  installationId: string;
  intent: SyncIntent;
  /** Audit actor, e.g. `officernd-admin:<installationId>` or `user:<id>`. */
  actor: string;
  /** For a signed URL: claimed in the same transaction, so the URL acts at most once. */
  replayClaim?: SignatureClaim;
  /** What triggered it, for the audit trail and the sync run (e.g. "officernd-sync-url"). */
  trigger: string;
  auditDetails?: Record<string, string | null>;
};

export type SetSyncEnabledResult = { syncEnabled: boolean; changed: boolean; replayed: boolean };

/**
 * Applies the intent under a row lock, so concurrent toggles serialise instead of reading the same
 * old value. A replayed signed URL changes nothing and reports the current state (`replayed: true`).
 * Switching sync on from off queues a sync.
 */
export async function setSyncEnabled(input: SetSyncEnabledInput): Promise<SetSyncEnabledResult> {
  const result = await db.$transaction(async (tx) => {
    const isFirstUse = input.replayClaim ? await claimSignature(input.replayClaim, tx) : true;
    const [row] = await tx.$queryRaw<{ accountId: string; syncEnabled: boolean }[]>`
      SELECT "accountId", "syncEnabled" FROM "Installation" WHERE "id" = ${input.installationId} FOR UPDATE`;
    if (!row) throw new AppError("not_found", "No such installation.");
    if (!isFirstUse) return { syncEnabled: row.syncEnabled, changed: false, replayed: true };

    const syncEnabled = input.intent.kind === "toggle" ? !row.syncEnabled : input.intent.enabled;
    const changed = syncEnabled !== row.syncEnabled;
    if (changed) await tx.installation.update({ where: { id: input.installationId }, data: { syncEnabled } });
    await recordAudit(
      {
        accountId: row.accountId,
        installationId: input.installationId,
        actor: input.actor,
        action: "installation.sync_enabled.set",
        before: { syncEnabled: row.syncEnabled },
        after: { syncEnabled, intent: input.intent.kind, trigger: input.trigger, ...input.auditDetails },
      },
      tx,
    );
    return { syncEnabled, changed, replayed: false };
  });

  if (input.replayClaim) await purgeExpiredSignatures();
  if (result.changed && result.syncEnabled) await queueSync(input.installationId, input.trigger);
  return result;
}

/**
 * The state change is committed by now; failing the request would make OfficeRnD retry a URL that is
 * already spent (its replay would only report the state). So a failed enqueue is logged, not answered.
 */
async function queueSync(installationId: string, trigger: string): Promise<void> {
  try {
    await requestSync({ installationId, trigger });
  } catch (error) {
    log.error({ installationId, err: errorSummary(error) }, "sync enabled but could not be queued");
  }
}
