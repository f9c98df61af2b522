"use client";

import { useEffect, useState } from "react";
import { ProgressBar } from "@/components/ui/progress-bar";
import { formatCount, formatDuration } from "@/lib/configuration/format";
import type { ProgressView } from "@/lib/configuration/progress";
import { refreshConfiguration } from "../actions";

const POLL_MS = 1000;

/**
 * The location's newest sync run. While it is queued or running, polls the progress route every
 * second; when it ends, refreshes the page (through a server action, so no router is needed) so the run list and counts catch up. The parent keys this
 * component by run id, so a newly queued run starts fresh tracking.
 */
export function SyncProgress({
  installationId,
  locationId,
  locationName,
  initial,
}: {
  installationId: string;
  locationId: string;
  locationName: string;
  initial: ProgressView | null;
}) {
  const [progress, setProgress] = useState(initial);
  const [isStale, setStale] = useState(false);
  const isActive = progress?.group === "active";

  useEffect(() => {
    if (!isActive) return;
    const url = `/api/installations/${encodeURIComponent(installationId)}/progress?locationId=${encodeURIComponent(locationId)}`;
    let isStopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tick = async () => {
      try {
        const response = await fetch(url, { cache: "no-store" });
        if (response.status === 401 || response.status === 403) {
          // The session ended: polling cannot recover, a reload from OfficeRnD can.
          if (!isStopped) setStale(true);
          return;
        }
        if (response.ok) {
          const body = (await response.json()) as { progress: ProgressView | null };
          if (isStopped) return;
          setProgress(body.progress);
          if (body.progress?.group !== "active") {
            // The run list and counts changed: ask the server for a fresh render.
            await refreshConfiguration();
            return;
          }
        }
      } catch {
        // A network blip: try again on the next tick.
      }
      if (!isStopped) timer = setTimeout(() => void tick(), POLL_MS);
    };
    timer = setTimeout(() => void tick(), POLL_MS);
    return () => {
      isStopped = true;
      clearTimeout(timer);
    };
  }, [isActive, installationId, locationId]);

  if (!progress) return <p className="text-sm text-slate-600">No sync has run for this location yet.</p>;
  return (
    <div className="space-y-1.5" data-testid="sync-progress" data-status={progress.status}>
      <div className="flex items-baseline justify-between gap-2 text-sm">
        <span className="font-medium">{headline(progress)}</span>
        <span className="tabular-nums text-slate-600">{progress.percent === null ? "" : `${progress.percent}%`}</span>
      </div>
      <ProgressBar label={`Sync progress, ${locationName}`} percent={progress.percent} valueText={details(progress)} />
      <p className="text-xs text-slate-600 tabular-nums">{details(progress)}</p>
      {progress.group === "failed" && progress.error ? <p className="text-xs text-red-700">{progress.error}</p> : null}
      {isStale ? <p className="text-xs text-amber-900">Your session has ended; open the configuration again to follow this sync.</p> : null}
      <p className="sr-only" aria-live="polite">
        {progress.group === "active" ? "" : headline(progress)}
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

function details(progress: ProgressView): string {
  const parts = [progress.total === null ? `${formatCount(progress.done)} records` : `${formatCount(progress.done)} of ${formatCount(progress.total)} records`];
  if (progress.recordsPerSecond !== null) parts.push(`${formatCount(Math.round(progress.recordsPerSecond))}/s`);
  if (progress.secondsLeft !== null) parts.push(`about ${formatDuration(progress.secondsLeft * 1000)} left`);
  return parts.join(" · ");
}
