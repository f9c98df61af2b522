// Pure: the daily buckets and bar geometry of the "records synced" chart (an inline SVG, no library).

/** `records`: every change we made that day, by sync runs plus `webhooks` changes from webhooks. */
export type DailyTotal = { day: string; records: number; runs: number; webhooks?: number };
export type Bar = DailyTotal & { x: number; y: number; width: number; height: number };
export type BarChart = { bars: Bar[]; max: number; width: number; height: number; total: number };

const DAY_MS = 86_400_000;

/** The `days` UTC dates ending today (YYYY-MM-DD), oldest first. */
export function lastDays(now: Date, days: number): string[] {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return Array.from({ length: days }, (_, index) =>
    new Date(today - (days - 1 - index) * DAY_MS).toISOString().slice(0, 10),
  );
}

/** One bucket per day of the window; days without runs are zero, totals outside it are ignored. */
export function fillDays(totals: DailyTotal[], window: string[]): DailyTotal[] {
  const byDay = new Map(totals.map((total) => [total.day, total]));
  return window.map((day) => byDay.get(day) ?? { day, records: 0, runs: 0 });
}

/** Adds the changes applied from webhooks (per UTC day) to the runs' totals, so the chart counts both. */
export function addWebhookChanges(
  days: DailyTotal[],
  changes: { day: string; changes: number }[],
): DailyTotal[] {
  const byDay = new Map(changes.map((change) => [change.day, change.changes]));
  return days.map((day) => {
    const webhooks = byDay.get(day.day) ?? 0;
    return { ...day, records: day.records + webhooks, webhooks };
  });
}

/** Bars scaled to the tallest day; a day with records always gets at least a visible sliver. */
export function layoutBars(
  days: DailyTotal[],
  { width = 560, height = 140, gap = 4, minVisible = 2 } = {},
): BarChart {
  const max = Math.max(0, ...days.map((day) => day.records));
  const slot = days.length > 0 ? width / days.length : width;
  const barWidth = Math.max(1, slot - gap);
  const bars = days.map((day, index) => {
    const scaled = max === 0 ? 0 : (day.records / max) * height;
    const barHeight = day.records > 0 ? Math.max(minVisible, scaled) : 0;
    return { ...day, x: index * slot + gap / 2, y: height - barHeight, width: barWidth, height: barHeight };
  });
  return { bars, max, width, height, total: days.reduce((sum, day) => sum + day.records, 0) };
}
