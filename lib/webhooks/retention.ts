import "server-only";
import { db } from "@/lib/db";
import { env } from "@/lib/env";

// Personal data we keep no longer than needed (issue 12 item 8): a webhook event that was processed
// (or skipped) keeps its payload for WEBHOOK_PAYLOAD_RETENTION_DAYS, then only its ids, type, times and
// outcome. Events not yet processed keep theirs: they are still to be applied.

const BATCH = 5_000;

export async function dropOldWebhookPayloads(
  now = new Date(),
  retentionDays = env().WEBHOOK_PAYLOAD_RETENTION_DAYS,
): Promise<number> {
  const cutoff = new Date(now.getTime() - retentionDays * 86_400_000).toISOString();
  let dropped = 0;
  for (;;) {
    // Bounded batches keep each statement short; the (status, receivedAt) index finds the candidates.
    const count = await db.$executeRaw`
      UPDATE "WebhookEvent" SET "payload" = NULL
      WHERE "id" IN (
        SELECT "id" FROM "WebhookEvent"
        WHERE "status" IN ('processed', 'ignored') AND "receivedAt" < (${cutoff}::timestamptz AT TIME ZONE 'UTC')
          AND "processedAt" < (${cutoff}::timestamptz AT TIME ZONE 'UTC') AND "payload" IS NOT NULL
        LIMIT ${BATCH}
      )`;
    dropped += count;
    if (count < BATCH) return dropped;
  }
}
