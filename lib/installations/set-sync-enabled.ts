import "server-only";
import { randomUUID } from "node:crypto";
import { AppError } from "@/lib/errors";
import { purgeExpiredSignatures, type SignatureClaim } from "@/lib/installations/replay";
import { StaleInstallation } from "@/lib/installations/signed-cache";
import { errorSummary, log } from "@/lib/log";
import type { SyncIntent } from "@/lib/officernd/signed-query";
import { preparedStatement, sqlPool } from "@/lib/sql-pool";
import { requestSync } from "@/lib/sync/request-sync";

// Turns an installation's synchronisation on or off (OfficeRnD's Sync URL, or any other caller).

export type SetSyncEnabledInput = {
  installationId: string;
  intent: SyncIntent;
  /** Audit actor, e.g. `officernd-admin:<installationId>` or `user:<id>`. */
  actor: string;
  /** For a signed URL: claimed in the same statement, so the URL acts at most once. */
  replayClaim?: SignatureClaim;
  /**
   * For a signed URL: the secret (encrypted) and locations it was verified with. The statement acts
   * only while the installation still has them and is not removed, else throws StaleInstallation.
   */
  verifiedWith?: { secretEnc: string; locationsKey: string };
  /** What triggered it, for the audit trail and the sync run (e.g. "officernd-sync-url"). */
  trigger: string;
  auditDetails?: Record<string, string | null>;
};

export type SetSyncEnabledResult = {
  syncEnabled: boolean;
  changed: boolean;
  replayed: boolean;
  /** The partner account's name, read in the same statement. */
  accountName: string;
};

// One statement (issue 16 §1; it was a transaction of five): lock the installation row, claim the
// signature (a replay, on any route, changes nothing), flip or set the flag, and audit the change.
// The row lock comes first, so concurrent toggles serialise on it and each sees the state the one
// before it left (READ COMMITTED re-reads a locked row's latest version); the healthcheck's statement
// takes the same two locks in the same order.
// $1 installation, $2/$3 verified secret and locations (null: no check), $4 ledger key (null: no claim),
// $5 its expiry, $6 its route, $7 the state to set (null: toggle), $8 audit id, $9 actor, $10 the
// audit's extra `after` fields, $11 now.
const SQL = `
WITH inst AS (
  SELECT i."id", i."accountId", i."syncEnabled", a."name" AS "accountName",
         ($2::text IS NULL OR (i."status" <> 'removed' AND i."secretEnc" = $2 AND i."locationsKey" = $3)) AS "isCurrent"
  FROM "Installation" i JOIN "Account" a ON a."id" = i."accountId"
  WHERE i."id" = $1
  FOR NO KEY UPDATE OF i
),
claim AS (
  INSERT INTO "UsedSignature" ("hash", "expiresAt", "route", "seenAt")
  SELECT $4, $5::timestamptz AT TIME ZONE 'UTC', $6, $11::timestamptz AT TIME ZONE 'UTC'
  FROM inst WHERE inst."isCurrent" AND $4::text IS NOT NULL
  ON CONFLICT ("hash") DO NOTHING
  RETURNING 1
),
decided AS (
  SELECT inst.*, ($4::text IS NULL OR EXISTS (SELECT 1 FROM claim)) AS "isFirstUse",
         COALESCE($7::boolean, NOT inst."syncEnabled") AS "next"
  FROM inst
),
changed AS (
  UPDATE "Installation" i SET "syncEnabled" = d."next", "updatedAt" = $11::timestamptz AT TIME ZONE 'UTC'
  FROM decided d
  WHERE i."id" = d."id" AND d."isCurrent" AND d."isFirstUse" AND d."next" <> d."syncEnabled"
),
audit AS (
  INSERT INTO "AuditEvent" ("id", "accountId", "installationId", "actor", "action", "before", "after", "createdAt")
  SELECT $8, d."accountId", d."id", $9, 'installation.sync_enabled.set',
         jsonb_build_object('syncEnabled', d."syncEnabled"), jsonb_build_object('syncEnabled', d."next") || $10::jsonb,
         $11::timestamptz AT TIME ZONE 'UTC'
  FROM decided d WHERE d."isCurrent" AND d."isFirstUse"
)
SELECT "isCurrent", "isFirstUse", "syncEnabled", "next", "accountName" FROM decided`;
const SET_SYNC_ENABLED = preparedStatement("set-sync-enabled", SQL);

type Row = {
  isCurrent: boolean;
  isFirstUse: boolean;
  syncEnabled: boolean;
  next: boolean;
  accountName: string;
};

/**
 * Applies the intent under a row lock, so concurrent toggles serialise instead of reading the same
 * old value. A replayed signed URL changes nothing and reports the current state (`replayed: true`).
 * Switching sync on from off queues a sync.
 */
export async function setSyncEnabled(input: SetSyncEnabledInput): Promise<SetSyncEnabledResult> {
  const { replayClaim, verifiedWith } = input;
  const { rows } = await sqlPool().query<Row>(
    SET_SYNC_ENABLED([
      input.installationId,
      verifiedWith?.secretEnc ?? null,
      verifiedWith?.locationsKey ?? null,
      replayClaim?.key ?? null,
      replayClaim?.expiresAt.toISOString() ?? null,
      replayClaim?.route ?? null,
      input.intent.kind === "toggle" ? null : input.intent.enabled,
      randomUUID(),
      input.actor,
      JSON.stringify({ intent: input.intent.kind, trigger: input.trigger, ...input.auditDetails }),
      new Date().toISOString(),
    ]),
  );
  const row = rows[0];
  // A signed request verified against a row that is gone or changed is decided again on fresh rows.
  if (!row?.isCurrent) {
    if (verifiedWith) throw new StaleInstallation(input.installationId);
    throw new AppError("not_found", "No such installation.");
  }
  const result: SetSyncEnabledResult = row.isFirstUse
    ? {
        syncEnabled: row.next,
        changed: row.next !== row.syncEnabled,
        replayed: false,
        accountName: row.accountName,
      }
    : { syncEnabled: row.syncEnabled, changed: false, replayed: true, accountName: row.accountName };

  // Housekeeping, never inside the answer (it never throws).
  if (replayClaim) void purgeExpiredSignatures();
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
