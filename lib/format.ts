// Pure formatting for the configuration page and the dashboard. Server-rendered with an explicit
// `now`, so a page shows one consistent moment and tests need no clock.

const NUMBER = new Intl.NumberFormat("en-GB");

export function formatCount(value: number): string {
  return NUMBER.format(value);
}

/** "2026-03-04 09:15 UTC": unambiguous for admins in any timezone. */
export function formatDateTime(date: Date): string {
  return `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

/** "just now", "5 min ago", "3 h ago", "2 days ago"; future dates read "in …". */
export function formatRelative(date: Date, now: Date): string {
  const seconds = Math.round((now.getTime() - date.getTime()) / 1000);
  const isFuture = seconds < 0;
  const magnitude = Math.abs(seconds);
  if (magnitude < 45) return isFuture ? "in a moment" : "just now";
  const text =
    magnitude < 3600
      ? `${Math.round(magnitude / 60)} min`
      : magnitude < 86_400
        ? `${Math.round(magnitude / 3600)} h`
        : plural(Math.round(magnitude / 86_400), "day");
  return isFuture ? `in ${text}` : `${text} ago`;
}

/** "850 ms", "12 s", "3 min 05 s", "2 h 10 min". */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return "—";
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${String(seconds % 60).padStart(2, "0")} s`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, "0")} min`;
}

function plural(count: number, unit: string): string {
  return `${count} ${unit}${count === 1 ? "" : "s"}`;
}
