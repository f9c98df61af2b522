import "server-only";
import { createHash } from "node:crypto";
import { db } from "@/lib/db";
import { log } from "@/lib/log";

// Single use of signed URLs that change state (Sync, Configuration launch). The signature names one
// exact request, so it is the replay key; it is kept only until the request would be stale anyway.

export type SignatureClaim = { key: string; expiresAt: Date };

type Client = Pick<typeof db, "usedSignature">;

/** Margin on top of the tolerance, so a row never disappears while its signature could still verify. */
const EXPIRY_MARGIN_SECONDS = 60;

/**
 * The claim for a verified signature. The key is global, not per route: OfficeRnD signs only the
 * parameters, not the path, so one signed URL could otherwise be used once at /configure and once
 * more at /api/officernd/sync.
 */
export function signatureClaimFor(input: { signature: string; timestamp: number; toleranceSeconds: number }): SignatureClaim {
  const key = createHash("sha256").update(`officernd-signed-query:${input.signature.toLowerCase()}`).digest("hex");
  const expiresAt = new Date((input.timestamp + input.toleranceSeconds + EXPIRY_MARGIN_SECONDS) * 1000);
  return { key, expiresAt };
}

/**
 * Records the signature as used; true for the first caller only. An insert-or-conflict, so two
 * concurrent replays cannot both win: the second waits on the unique key and then gets false. Run it
 * inside the transaction that acts, so a failed action releases the claim for OfficeRnD's retry.
 */
export async function claimSignature(claim: SignatureClaim, client: Client = db): Promise<boolean> {
  const { count } = await client.usedSignature.createMany({ data: [{ hash: claim.key, expiresAt: claim.expiresAt }], skipDuplicates: true });
  return count === 1;
}

/** Best-effort cleanup of claims whose signatures can no longer verify. Never throws. */
export async function purgeExpiredSignatures(now: Date = new Date()): Promise<void> {
  try {
    await db.usedSignature.deleteMany({ where: { expiresAt: { lt: now } } });
  } catch (error) {
    log.warn({ err: error instanceof Error ? error.message : String(error) }, "could not purge expired signatures");
  }
}
