import "server-only";
import { db } from "@/lib/db";

// Read side of sync runs, for the configuration page and operations.

/** `needs_review`: a full pass the mass-delete breaker stopped before deleting. */
export type SyncRunStatus = "queued" | "running" | "succeeded" | "failed" | "cancelled" | "needs_review";

export type SyncRunView = {
  id: string;
  installationId: string;
  /** Null for a discovery run (finding the organisation's locations). */
  locationId: string | null;
  kind: string;
  trigger: string;
  status: SyncRunStatus;
  phase: string | null;
  created: number;
  updated: number;
  deleted: number;
  unchanged: number;
  failed: number;
  done: number;
  /** Estimated while running, exact once finished; null before the first page. */
  total: number | null;
  error: string | null;
  createdAt: Date;
  startedAt: Date | null;
  heartbeatAt: Date | null;
  finishedAt: Date | null;
};

/** The one select of a SyncRun for reading: every page and list of runs reads these columns. */
export const SYNC_RUN_SELECT = {
  id: true,
  installationId: true,
  locationId: true,
  kind: true,
  trigger: true,
  status: true,
  phase: true,
  created: true,
  updated: true,
  deleted: true,
  unchanged: true,
  failed: true,
  done: true,
  total: true,
  error: true,
  createdAt: true,
  startedAt: true,
  heartbeatAt: true,
  finishedAt: true,
} as const;

function locationFilter(locationId: string | null | undefined) {
  return locationId === undefined ? {} : { locationId };
}

/** Newest first. `locationId` undefined: every location's runs; null: discovery runs only. */
export async function listRecentRuns(
  installationId: string,
  locationId?: string | null,
  limit = 20,
): Promise<SyncRunView[]> {
  const runs = await db.syncRun.findMany({
    where: { installationId, ...locationFilter(locationId) },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: Math.min(Math.max(limit, 1), 200),
    select: SYNC_RUN_SELECT,
  });
  return runs as SyncRunView[];
}

/** The run in progress, else the one waiting to start, else null. */
export async function getActiveRun(
  installationId: string,
  locationId?: string | null,
): Promise<SyncRunView | null> {
  const runs = await db.syncRun.findMany({
    where: { installationId, ...locationFilter(locationId), status: { in: ["running", "queued"] } },
    orderBy: { createdAt: "asc" },
    select: SYNC_RUN_SELECT,
  });
  const run = runs.find((candidate) => candidate.status === "running") ?? runs[0] ?? null;
  return run as SyncRunView | null;
}
