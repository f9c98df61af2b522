import { formatDateTime, formatRelative } from "@/lib/format";

/** "5 min ago" with the exact UTC time as a tooltip and machine-readable value; "never" for null. */
export function RelativeTime({
  date,
  now,
  empty = "never",
}: {
  date: Date | null;
  now: Date;
  empty?: string;
}) {
  if (!date) return <span className="text-slate-600">{empty}</span>;
  return (
    <time dateTime={date.toISOString()} title={formatDateTime(date)}>
      {formatRelative(date, now)}
    </time>
  );
}
