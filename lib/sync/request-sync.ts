import "server-only";
import { db } from "@/lib/db";

export type SyncRequest = { installationId: string; locationId?: string | null; trigger: string };

/**
 * Records that a sync was asked for (one queued run per location, or one for the whole installation).
 * The sync engine picks queued runs up; see lib/sync/.
 */
export async function requestSync(request: SyncRequest): Promise<{ runIds: string[] }> {
  const run = await db.syncRun.create({
    data: { installationId: request.installationId, locationId: request.locationId ?? null, kind: "auto", trigger: request.trigger, status: "queued" },
    select: { id: true },
  });
  return { runIds: [run.id] };
}
