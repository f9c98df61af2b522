"use client";

import { ProgressBar } from "@/components/ui/progress-bar";
import { RelativeTime } from "@/components/ui/relative-time";
import { formatCount, formatDuration } from "@/lib/format";
import { toDate, type LiveRun } from "@/lib/configuration/live-status";
import type { ProgressView } from "@/lib/configuration/describe-progress";
import { useLive, useLiveLocation } from "./live-status";

/**
 * The location's newest run. While it is queued or running: a progress bar with records done of the
 * estimated total, rate and time left. Once it ended: what that run did (added, updated, removed,
 * unchanged), so the numbers beside the run list always agree with it.
 */
export function LastRun({ locationId, locationName }: { locationId: string; locationName: string }) {
  const { now } = useLive();
  const location = useLiveLocation(locationId);
  const progress = location?.progress ?? null;
  const run = location?.runs[0] ?? null;
  if (!progress || !run)
    return <p className="text-sm text-slate-600">No sync has run for this location yet.</p>;
  const isActive = progress.group === "active";
  return (
    <div className="space-y-1.5" data-testid="sync-progress" data-status={progress.status}>
      <div className="flex items-baseline justify-between gap-2 text-sm">
        <span className="font-medium">{headline(progress)}</span>
        {isActive ? (
          <span className="tabular-nums text-slate-600">
            {progress.percent === null ? "" : `${progress.percent}%`}
          </span>
        ) : (
          <span className="text-xs text-slate-600">
            <RelativeTime date={toDate(run.finishedAt ?? run.createdAt)} now={now} />
          </span>
        )}
      </div>
      {isActive ? (
        <>
          <ProgressBar
            label={`Sync progress, ${locationName}`}
            percent={progress.percent}
            valueText={activeDetails(progress)}
          />
          <p className="text-xs text-slate-600 tabular-nums">{activeDetails(progress)}</p>
        </>
      ) : (
        <p className="text-sm text-slate-700 tabular-nums" data-testid="last-run-result">
          {resultDetails(run)}
        </p>
      )}
      {progress.group === "failed" && progress.error ? (
        <p className="text-xs text-red-700">{progress.error}</p>
      ) : null}
      <p className="sr-only" aria-live="polite">
        {isActive ? "" : `${headline(progress)}: ${resultDetails(run)}`}
      </p>
    </div>
  );
}

function headline(progress: ProgressView): string {
  if (progress.status === "queued") return "Sync queued, waiting for a worker…";
  if (progress.group === "active") return progress.phase ? `Syncing ${progress.phase}…` : "Syncing…";
  if (progress.group === "succeeded") return "Last sync complete";
  if (progress.status === "cancelled") return "Last sync cancelled";
  return progress.group === "failed" ? "Last sync failed" : `Last sync: ${progress.status}`;
}

function activeDetails(progress: ProgressView): string {
  const parts = [
    progress.total === null
      ? `${formatCount(progress.done)} records`
      : `${formatCount(progress.done)} of about ${formatCount(progress.total)} records`,
  ];
  if (progress.recordsPerSecond !== null)
    parts.push(`${formatCount(Math.round(progress.recordsPerSecond))}/s`);
  if (progress.secondsLeft !== null) parts.push(`about ${formatDuration(progress.secondsLeft * 1000)} left`);
  return parts.join(" · ");
}

/**
 * What a finished run did, in records of every kind it walks (the location itself, its companies and
 * members), so it can be read next to "We hold …": "Full pass over the location, companies and
 * members: 63 added · 0 updated · 0 removed", "Changes since the last sync: none (3 unchanged)".
 */
export function resultDetails(
  run: Pick<LiveRun, "kind" | "created" | "updated" | "deleted" | "unchanged" | "failed">,
): string {
  const kind =
    run.kind === "full"
      ? "Full pass over the location, companies and members"
      : run.kind === "incremental"
        ? "Changes since the last sync"
        : "Sync";
  const changed = run.created + run.updated + run.deleted;
  const counts =
    changed === 0
      ? "none"
      : `${formatCount(run.created)} added · ${formatCount(run.updated)} updated · ${formatCount(run.deleted)} removed`;
  const extras = [
    run.unchanged > 0 ? `${formatCount(run.unchanged)} unchanged` : null,
    run.failed > 0 ? `${formatCount(run.failed)} failed` : null,
  ].filter(Boolean);
  return `${kind}: ${counts}${extras.length > 0 ? ` (${extras.join(", ")})` : ""}`;
}
