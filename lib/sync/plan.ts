import { z } from "zod";
import { locationSettingsSchema, type LocationSettings } from "@/lib/sync/location-settings";

// Pure planning of a sync run for one installation location: full or incremental, the phases it walks,
// the list query of each page, and the checkpoint saved after every page so a killed run resumes.

export type RunKind = "full" | "incremental";
export type RequestedKind = RunKind | "auto";

/** A full pass at least this often, so deletions missed by webhooks are found (mark and sweep). */
export const FULL_SYNC_INTERVAL_MS = 24 * 3_600_000;
/** Incremental runs look back this far before the watermark: clock skew and commit lag at OfficeRnD. */
export const WATERMARK_OVERLAP_MS = 5 * 60_000;
/** API v2 pages hold at most 50 records ([DOC-QUERY]). */
export const PAGE_LIMIT = 50;

export const PHASES = ["locations", "companies", "members", "sweep"] as const;
export type Phase = (typeof PHASES)[number];
export type ListPhase = Exclude<Phase, "sweep">;

export function decideRunKind({
  requested,
  watermark,
  lastFullSyncAt,
  now,
}: {
  requested: RequestedKind;
  watermark: Date | null;
  lastFullSyncAt: Date | null;
  now: Date;
}): RunKind {
  if (requested !== "auto") return requested === "incremental" && !watermark ? "full" : requested;
  if (!watermark || !lastFullSyncAt) return "full";
  return now.getTime() - lastFullSyncAt.getTime() >= FULL_SYNC_INTERVAL_MS ? "full" : "incremental";
}

/** Phases in order. Disabled entities are still swept on a full run, so switching one off empties it. */
export function phasesFor(kind: RunKind, settings: LocationSettings): Phase[] {
  const phases: Phase[] = ["locations"];
  if (settings.syncCompanies) phases.push("companies");
  if (settings.syncMembers) phases.push("members");
  if (kind === "full") phases.push("sweep");
  return phases;
}

export function incrementalSince(watermark: Date): string {
  return new Date(watermark.getTime() - WATERMARK_OVERLAP_MS).toISOString();
}

/**
 * Full runs let OfficeRnD filter by status (the sweep removes what left); incremental runs fetch every
 * status changed since the watermark, so a member who left the chosen statuses is seen and removed.
 */
export function pageQuery({
  phase,
  kind,
  locationId,
  settings,
  since,
  cursor,
}: {
  phase: ListPhase;
  kind: RunKind;
  locationId: string;
  settings: LocationSettings;
  since: string | null;
  cursor: string | null;
}): URLSearchParams {
  const query = new URLSearchParams();
  if (phase === "locations") query.set("_id", locationId);
  else query.set("location", locationId);
  if (phase === "members" && kind === "full") query.set("status[$in]", settings.memberStatuses.join(","));
  if (kind === "incremental" && since && phase !== "locations") query.set("modifiedAt[$gte]", since);
  query.set("$limit", String(PAGE_LIMIT));
  if (cursor) query.set("$cursorNext", cursor);
  return query;
}

export const CHECKPOINT_PHASES = [...PHASES, "done"] as const;
export type CheckpointPhase = (typeof CHECKPOINT_PHASES)[number];

export const checkpointSchema = z.object({
  /** The phases this run walks, fixed when it starts (settings may change while it runs). */
  phases: z.array(z.enum(PHASES)),
  /** The settings it started with, so a resumed run asks OfficeRnD the same questions. */
  settings: locationSettingsSchema,
  phase: z.enum(CHECKPOINT_PHASES),
  /** `$cursorNext` of the next page of `phase`; null at the start of a phase. */
  cursor: z.string().nullable(),
  /** The newest `modifiedAt` seen so far: becomes the watermark when the run succeeds. */
  maxModifiedAt: z.string().nullable(),
  /** Lower bound of an incremental run, fixed when it starts so a resumed run asks the same thing. */
  since: z.string().nullable(),
  /** Identifies the worker holding the run; another worker may take it over once heartbeats stop. */
  lease: z.string(),
  /** Times the run was resumed after a crash or a failed attempt. */
  attempts: z.int().min(0).default(0),
});

export type Checkpoint = z.infer<typeof checkpointSchema>;

export function initialCheckpoint({
  kind,
  settings,
  since,
  lease,
}: {
  kind: RunKind;
  settings: LocationSettings;
  since: string | null;
  lease: string;
}): Checkpoint {
  const phases = phasesFor(kind, settings);
  return {
    phases,
    settings,
    phase: phases[0] ?? "done",
    cursor: null,
    maxModifiedAt: null,
    since,
    lease,
    attempts: 0,
  };
}

export function nextPhase(phases: readonly Phase[], phase: Phase): CheckpointPhase {
  const index = phases.indexOf(phase);
  return index < 0 ? "done" : (phases[index + 1] ?? "done");
}

/**
 * Progress total: exact once the walk ended, otherwise an estimate from what is known (the rows the
 * copy already holds, and at least one more page while a next cursor exists).
 */
export function estimateTotal({
  done,
  knownRows,
  hasMore,
}: {
  done: number;
  knownRows: number;
  hasMore: boolean;
}): number {
  if (!hasMore) return Math.max(done, 0);
  return Math.max(knownRows, done + PAGE_LIMIT);
}
