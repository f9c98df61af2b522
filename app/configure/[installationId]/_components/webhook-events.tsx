import { Badge } from "@/components/ui/badge";
import { RelativeTime } from "@/components/ui/relative-time";
import type { EventRow } from "@/lib/configuration/load-configuration";

const TONES = { processed: "good", failed: "bad" } as const;

export function WebhookEvents({ events, now }: { events: EventRow[]; now: Date }) {
  if (events.length === 0) return <p className="text-sm text-slate-600">No webhook events for this location yet.</p>;
  return (
    <ul className="divide-y divide-slate-100 text-sm">
      {events.map((event) => (
        <li key={event.id} className="flex flex-wrap items-center justify-between gap-2 py-1.5">
          <code className="text-xs">{event.eventType}</code>
          <span className="flex items-center gap-2 text-xs text-slate-600">
            <Badge tone={TONES[event.status as keyof typeof TONES] ?? "neutral"}>{event.status}</Badge>
            <RelativeTime date={event.receivedAt} now={now} />
          </span>
        </li>
      ))}
    </ul>
  );
}
