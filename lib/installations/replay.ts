import "server-only";
import { createHash } from "node:crypto";
import { db } from "@/lib/db";
import { errorSummary, log } from "@/lib/log";
import { preparedStatement, sqlPool } from "@/lib/sql-pool";

// The ledger of signed requests (issue 12 item 1). OfficeRnD signs the query, not the path, so one
// signed query could be presented at every signed route. Every signature a route accepts goes into
// one table: the healthcheck records it (and still answers a repeat: OfficeRnD may retry a probe),
// while the routes that unlock something (Configuration launch, Sync) claim it and act only when they
// are the first to see it, on any route. Rows are kept only until the signature would be stale anyway.

export type SignatureClaim = { key: string; expiresAt: Date; route?: string };

type Client = Pick<typeof db, "usedSignature">;

/** Margin on top of the tolerance, so a row never disappears while its signature could still verify. */
const EXPIRY_MARGIN_SECONDS = 60;
/** Expired rows are swept at most this often per process. */
const PURGE_INTERVAL_MS = 60_000;
/**
 * A sweep deletes in batches with a pause between them: after a burst a minute holds tens of thousands
 * of rows, and one DELETE of them all would take the CPU from the requests being answered meanwhile.
 */
const PURGE_BATCH_ROWS = 1_000;
const PURGE_BATCH_PAUSE_MS = 20;
const PURGE_BATCH = preparedStatement(
  "purge-used-signatures",
  `DELETE FROM "UsedSignature" WHERE "hash" IN (
     SELECT "hash" FROM "UsedSignature" WHERE "expiresAt" < ($1::timestamptz AT TIME ZONE 'UTC') LIMIT $2)`,
);
let lastPurgeMs = 0;

/** The ledger entry for a verified signature: the key is its digest, the same on every route. */
export function signatureClaimFor(input: {
  signature: string;
  timestamp: number;
  toleranceSeconds: number;
  route?: string;
}): SignatureClaim {
  const key = createHash("sha256")
    .update(`officernd-signed-query:${input.signature.toLowerCase()}`)
    .digest("hex");
  const expiresAt = new Date((input.timestamp + input.toleranceSeconds + EXPIRY_MARGIN_SECONDS) * 1000);
  return { key, expiresAt, ...(input.route ? { route: input.route } : {}) };
}

/**
 * Records the signature as used; true for the first caller only. An insert-or-conflict, so two
 * concurrent replays cannot both win: the second waits on the unique key and then gets false. Run it
 * inside the transaction that acts, so a failed action releases the claim for OfficeRnD's retry.
 */
export async function claimSignature(claim: SignatureClaim, client: Client = db): Promise<boolean> {
  const { count } = await client.usedSignature.createMany({
    data: [{ hash: claim.key, expiresAt: claim.expiresAt, route: claim.route ?? null }],
    skipDuplicates: true,
  });
  return count === 1;
}

/**
 * For routes that unlock nothing: puts the signature in the ledger so that no other route accepts it
 * afterwards. A signature already there is fine: the caller answers anyway. (The healthcheck does the
 * same inside its one statement, lib/installations/record-healthcheck.ts.)
 */
export async function recordSignature(claim: SignatureClaim): Promise<void> {
  await claimSignature(claim);
  await purgeExpiredSignatures();
}

/**
 * Best-effort cleanup of claims whose signatures can no longer verify, at most once a minute per
 * process, in batches. Never throws; the hot routes start it without waiting for it.
 */
export async function purgeExpiredSignatures(now: Date = new Date()): Promise<void> {
  if (now.getTime() - lastPurgeMs < PURGE_INTERVAL_MS) return;
  lastPurgeMs = now.getTime();
  try {
    for (;;) {
      const { rowCount } = await sqlPool().query(PURGE_BATCH([now.toISOString(), PURGE_BATCH_ROWS]));
      if ((rowCount ?? 0) < PURGE_BATCH_ROWS) return;
      await new Promise((resolve) => setTimeout(resolve, PURGE_BATCH_PAUSE_MS));
    }
  } catch (error) {
    log.warn({ err: errorSummary(error) }, "could not purge expired signatures");
  }
}
