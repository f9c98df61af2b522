import "server-only";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { Prisma } from "@/lib/generated/prisma/client";
import { sendSyncJobs } from "@/lib/jobs/boss";
import { errorSummary, log } from "@/lib/log";
import type { RequestedKind } from "@/lib/sync/plan";
import { lockLocation } from "@/lib/sync/run-claim";

export type SyncRequest = {
  installationId: string;
  /** One location; omitted or null means every enabled location of the installation. */
  locationId?: string | null;
  /** Why, for the run list and the audit trail (e.g. "configure.sync_now", "schedule", "webhook"). */
  trigger: string;
  /** "auto" (default): incremental when a recent full pass exists, else full. */
  kind?: RequestedKind;
};

/**
 * Queues a run per location and asks a worker for it; a location's already-queued run is reused, so
 * requests never pile up. An all-locations installation also gets a discovery run (locationId null) that
 * adds locations opened since. A failed enqueue is retried by maintenance.
 */
export async function requestSync(request: SyncRequest): Promise<{ runIds: string[] }> {
  const installation = await db.installation.findUnique({
    where: { id: request.installationId },
    select: {
      status: true,
      locationsKey: true,
      locations: { where: { syncEnabled: true }, select: { locationId: true } },
    },
  });
  if (!installation) throw new AppError("not_found", "No such installation.");
  if (installation.status === "removed")
    throw new AppError("not_connected", "The integration was removed from OfficeRnD.");

  const enabled = installation.locations.map((location) => location.locationId);
  let targets: (string | null)[];
  if (request.locationId) {
    if (!enabled.includes(request.locationId))
      throw new AppError("not_found", "That location is not synced by this installation.");
    targets = [request.locationId];
  } else {
    targets = installation.locationsKey === "" ? [...enabled, null] : enabled;
  }

  const kind = request.kind ?? "auto";
  // One transaction for every location: a whole-installation request costs one round of statements.
  const runIds = await db.$transaction(async (tx) => {
    const ids: string[] = [];
    for (const locationId of targets)
      ids.push(
        await queueRun(tx, {
          installationId: request.installationId,
          locationId,
          trigger: request.trigger,
          kind,
        }),
      );
    return ids;
  });
  try {
    await sendSyncJobs(targets.map((locationId) => ({ installationId: request.installationId, locationId })));
  } catch (error) {
    // The runs are queued in our table; maintenance re-sends jobs for runs left waiting.
    log.error({ installationId: request.installationId, err: errorSummary(error) }, "sync jobs not sent");
  }
  return { runIds };
}

type QueueRunInput = {
  installationId: string;
  locationId: string | null;
  trigger: string;
  kind: RequestedKind;
};

async function queueRun(
  tx: Prisma.TransactionClient,
  { installationId, locationId, trigger, kind }: QueueRunInput,
): Promise<string> {
  // The same lock a worker takes to start a run: a run cannot start while we decide to reuse it.
  await lockLocation(tx, installationId, locationId);
  const waiting = await tx.syncRun.findFirst({
    where: { installationId, locationId, status: "queued", startedAt: null },
    orderBy: { createdAt: "asc" },
    select: { id: true, kind: true },
  });
  if (waiting) {
    // A full pass asked for while an automatic one waits: make the waiting one full.
    if (kind === "full" && waiting.kind !== "full")
      await tx.syncRun.update({ where: { id: waiting.id }, data: { kind: "full" } });
    return waiting.id;
  }
  const run = await tx.syncRun.create({
    data: {
      installationId,
      locationId,
      kind: locationId === null ? "discover" : kind,
      trigger,
      status: "queued",
    },
    select: { id: true },
  });
  return run.id;
}
