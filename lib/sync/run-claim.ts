import "server-only";
import { randomUUID } from "node:crypto";
import { parseFieldMapping, type FieldMapping } from "@/lib/sync/field-mapping";
import { db } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import { parseLocationSettings, type LocationSettings } from "@/lib/sync/location-settings";
import {
  checkpointSchema,
  decideRunKind,
  incrementalSince,
  initialCheckpoint,
  type Checkpoint,
  type RequestedKind,
  type RunKind,
} from "@/lib/sync/plan";

// Starting a run: one worker at a time per installation location. Under a transaction-scoped advisory
// lock on the location, a worker takes the location's oldest unfinished run, unless a live run holds it
// (heartbeat fresh). A run whose worker died (heartbeat stale) is taken over and resumed from its
// checkpoint with a new lease; the old worker, should it wake up, finds its lease gone and stops.

/** Heartbeats come every ~10 s; a run this quiet has lost its worker. */
export const STALE_HEARTBEAT_MS = 60_000;
/** Resumptions after crashes or failed attempts before a run is given up. */
export const MAX_RUN_ATTEMPTS = 6;

export type ClaimedRun = {
  id: string;
  installationId: string;
  /** Null for a discovery run (find the organisation's locations). */
  locationId: string | null;
  kind: RunKind | "discover";
  startedAt: Date;
  done: number;
  checkpoint: Checkpoint;
  installation: { orgSlug: string; regionUrl: string; locationsKey: string };
  /** Records the last full pass of the location read, to estimate this run's progress total. */
  knownRows: number;
  /** The location's field mapping when this slice started (read afresh by every slice, not checkpointed). */
  fieldMapping: FieldMapping;
};

export type Claim = { kind: "claimed"; run: ClaimedRun } | { kind: "busy" } | { kind: "idle" };

type Tx = Prisma.TransactionClient;

/**
 * A location's advisory lock key as SQL, over two text expressions (a null location is the discovery
 * run). The one definition: requestSync takes the same locks in its own statement (lib/sync/request-sync.ts).
 */
export function locationLockKeySql(installationId: string, locationId: string): string {
  return `hashtextextended('sync-location:' || ${installationId} || ':' || COALESCE(${locationId}, '*'), 0)`;
}

export async function lockLocation(tx: Tx, installationId: string, locationId: string | null): Promise<void> {
  await tx.$executeRawUnsafe(
    `SELECT pg_advisory_xact_lock(${locationLockKeySql("$1::text", "$2::text")})`,
    installationId,
    locationId,
  );
}

const UNFINISHED = ["queued", "running"];

async function endRuns(
  tx: Tx,
  ids: string[],
  status: "failed" | "cancelled",
  error: string,
  now: Date,
): Promise<void> {
  if (ids.length === 0) return;
  await tx.syncRun.updateMany({
    where: { id: { in: ids }, status: { in: UNFINISHED } },
    data: { status, error, finishedAt: now },
  });
}

export async function claimNextRun({
  installationId,
  locationId,
  now = new Date(),
  workerId = null,
}: {
  installationId: string;
  locationId: string | null;
  now?: Date;
  /** The claiming worker, recorded on the run (null: a test or script claiming in-process). */
  workerId?: string | null;
}): Promise<Claim> {
  return db.$transaction(async (tx) => {
    await lockLocation(tx, installationId, locationId);
    const runs = await tx.syncRun.findMany({
      where: { installationId, locationId, status: { in: UNFINISHED } },
      orderBy: { createdAt: "asc" },
      select: {
        id: true,
        status: true,
        kind: true,
        heartbeatAt: true,
        startedAt: true,
        checkpoint: true,
        done: true,
        error: true,
      },
    });
    if (runs.length === 0) return { kind: "idle" };
    const allIds = runs.map((run) => run.id);

    const installation = await tx.installation.findUnique({
      where: { id: installationId },
      select: { status: true, syncEnabled: true, orgSlug: true, regionUrl: true, locationsKey: true },
    });
    if (!installation || installation.status === "removed") {
      await endRuns(tx, allIds, "cancelled", "The integration was removed from OfficeRnD.", now);
      return { kind: "idle" };
    }
    if (installation.status === "reconnect_required") {
      await endRuns(
        tx,
        allIds,
        "failed",
        "OfficeRnD no longer accepts this connection; reconnect the integration.",
        now,
      );
      return { kind: "idle" };
    }
    if (!installation.syncEnabled) {
      await endRuns(tx, allIds, "cancelled", "Sync is switched off for this installation.", now);
      return { kind: "idle" };
    }
    const location = locationId
      ? await tx.installationLocation.findUnique({
          where: { installationId_locationId: { installationId, locationId } },
          select: { syncEnabled: true, settings: true, syncWatermark: true, lastFullSyncAt: true },
        })
      : null;
    if (locationId && !location?.syncEnabled) {
      await endRuns(tx, allIds, "cancelled", "Sync is switched off for this location.", now);
      return { kind: "idle" };
    }

    const isLive = (run: (typeof runs)[number]) =>
      run.status === "running" &&
      run.heartbeatAt !== null &&
      now.getTime() - run.heartbeatAt.getTime() < STALE_HEARTBEAT_MS;
    if (runs.some(isLive)) return { kind: "busy" };

    // Prefer resuming a run whose worker died over starting a queued one; other orphans are superseded.
    const orphans = runs.filter((run) => run.status === "running");
    const candidates = [...orphans, ...runs.filter((run) => run.status === "queued")];
    for (const [index, run] of candidates.entries()) {
      const isOrphan = run.status === "running";
      if (isOrphan && index > 0) {
        await endRuns(
          tx,
          [run.id],
          "failed",
          "Its worker stopped; a newer attempt took over the location.",
          now,
        );
        continue;
      }
      const saved = checkpointSchema.safeParse(run.checkpoint);
      const attempts = (saved.success ? saved.data.attempts : 0) + (isOrphan ? 1 : 0);
      if (attempts > MAX_RUN_ATTEMPTS) {
        // Keep the last attempt's reason: it is what the configuration page shows the admin.
        await endRuns(
          tx,
          [run.id],
          "failed",
          `Gave up after ${MAX_RUN_ATTEMPTS} attempts${run.error ? `: ${run.error}` : "."}`,
          now,
        );
        continue;
      }
      const lease = randomUUID();
      const settings = parseLocationSettings(location?.settings);
      const kind: RunKind | "discover" =
        locationId === null ? "discover" : resolveKind(run.kind, location, now);
      const checkpoint: Checkpoint = saved.success
        ? { ...saved.data, lease, attempts }
        : freshCheckpoint({ kind, settings, location, lease });
      const startedAt = run.startedAt ?? now;
      await tx.syncRun.update({
        where: { id: run.id },
        data: {
          status: "running",
          kind,
          startedAt,
          heartbeatAt: now,
          checkpoint,
          phase: checkpoint.phase,
          workerId,
          claimedAt: now,
        },
      });
      // Only a full pass walks what the copy already holds; an incremental one reads just the changes.
      const knownRows =
        locationId && kind === "full" ? await countKnownRows(tx, installationId, locationId) : 0;
      const { orgSlug, regionUrl, locationsKey } = installation;
      return {
        kind: "claimed",
        run: {
          id: run.id,
          installationId,
          locationId,
          kind,
          startedAt,
          done: run.done,
          checkpoint,
          installation: { orgSlug, regionUrl, locationsKey },
          knownRows,
          fieldMapping: parseFieldMapping(location?.settings),
        },
      };
    }
    return { kind: "idle" };
  });
}

function resolveKind(
  stored: string,
  location: { syncWatermark: Date | null; lastFullSyncAt: Date | null } | null,
  now: Date,
): RunKind {
  const requested: RequestedKind = stored === "full" || stored === "incremental" ? stored : "auto";
  return decideRunKind({
    requested,
    watermark: location?.syncWatermark ?? null,
    lastFullSyncAt: location?.lastFullSyncAt ?? null,
    now,
  });
}

function freshCheckpoint({
  kind,
  settings,
  location,
  lease,
}: {
  kind: RunKind | "discover";
  settings: LocationSettings;
  location: { syncWatermark: Date | null } | null;
  lease: string;
}): Checkpoint {
  if (kind === "discover")
    return {
      phases: ["locations"],
      settings,
      phase: "locations",
      cursor: null,
      maxModifiedAt: null,
      since: null,
      lease,
      attempts: 0,
    };
  const since =
    kind === "incremental" && location?.syncWatermark ? incrementalSince(location.syncWatermark) : null;
  return initialCheckpoint({ kind, settings, since, lease });
}

/** What the last full pass of the location read: an estimate of this one's size, without counting rows. */
async function countKnownRows(tx: Tx, installationId: string, locationId: string): Promise<number> {
  const previous = await tx.syncRun.findFirst({
    where: { installationId, locationId, kind: "full", status: "succeeded" },
    orderBy: { finishedAt: "desc" },
    select: { total: true },
  });
  return previous?.total ?? 0;
}
