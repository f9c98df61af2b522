"use client";

import { RunsTable } from "@/components/officernd/runs-table";
import { Badge } from "@/components/ui/badge";
import { RelativeTime } from "@/components/ui/relative-time";
import { formatCount } from "@/lib/format";
import { toDate } from "@/lib/configuration/live-status";
import { useLive, useLiveLocation } from "./live-status";

/** The summary row of a collapsed location card: sync state, what we hold, the last run. */
export function LocationSummary({ locationId }: { locationId: string }) {
  const { now } = useLive();
  const location = useLiveLocation(locationId);
  if (!location) return null;
  const run = location.runs[0];
  return (
    <span
      className="flex flex-wrap items-center gap-x-2 gap-y-1 text-xs text-slate-600"
      data-testid="location-summary"
    >
      <Badge tone={location.isSyncing ? "good" : "neutral"}>
        {location.isSyncing ? "Sync on" : "Sync off"}
      </Badge>
      <span data-testid="location-totals">
        We hold {formatCount(location.counts.members)} {location.counts.members === 1 ? "member" : "members"}{" "}
        · {formatCount(location.counts.companies)} {location.counts.companies === 1 ? "company" : "companies"}
      </span>
      {location.atOfficeRnd ? (
        <span
          data-testid="officernd-totals"
          title="Companies, and members in the synced statuses, that OfficeRnD listed for this location in its last full sync."
        >
          · {formatCount(location.counts.members + location.counts.companies)} of{" "}
          {formatCount(location.atOfficeRnd.records)} at OfficeRnD
        </span>
      ) : null}
      <span>
        · last sync{" "}
        {run && location.progress?.group === "active" ? (
          "running"
        ) : (
          <RelativeTime date={toDate(location.lastSyncAt)} now={now} />
        )}
      </span>
    </span>
  );
}

export function LiveRuns({ locationId, label }: { locationId: string; label: string }) {
  const { now } = useLive();
  const runs = useLiveLocation(locationId)?.runs ?? [];
  return (
    <RunsTable
      runs={runs.map((run) => ({
        ...run,
        createdAt: toDate(run.createdAt) ?? now,
        startedAt: toDate(run.startedAt),
        finishedAt: toDate(run.finishedAt),
      }))}
      label={label}
      now={now}
    />
  );
}

const EVENT_TONES = { processed: "good", failed: "bad" } as const;

export function LiveEvents({ locationId }: { locationId: string }) {
  const { now } = useLive();
  const events = useLiveLocation(locationId)?.events ?? [];
  if (events.length === 0)
    return <p className="text-sm text-slate-600">No webhook events for this location yet.</p>;
  return (
    <ul className="divide-y divide-slate-100 text-sm" data-testid="webhook-events">
      {events.map((event) => (
        <li key={event.id} className="flex flex-wrap items-center justify-between gap-2 py-1.5">
          <code className="text-xs">{event.eventType}</code>
          <span className="flex items-center gap-2 text-xs text-slate-600">
            <Badge tone={EVENT_TONES[event.status as keyof typeof EVENT_TONES] ?? "neutral"}>
              {event.status}
            </Badge>
            <RelativeTime date={toDate(event.receivedAt)} now={now} />
          </span>
        </li>
      ))}
    </ul>
  );
}

/** Under the last run while OfficeRnD's total is unknown (the summary row stays one line in the popup). */
export function OfficeRndTotalsPending({ locationId }: { locationId: string }) {
  const location = useLiveLocation(locationId);
  if (!location || location.atOfficeRnd) return null;
  return (
    <p className="text-xs text-slate-600" data-testid="officernd-totals">
      How many records OfficeRnD lists for this location is known after its first full sync.
    </p>
  );
}
