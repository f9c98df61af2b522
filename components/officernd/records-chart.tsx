import { formatCount } from "@/lib/configuration/format";
import { layoutBars, type DailyTotal } from "@/lib/dashboard/chart";

/**
 * Records synced per day as an inline SVG bar chart (no chart library, no client JavaScript). Screen
 * readers get the same numbers from a table.
 */
export function RecordsChart({ days, title }: { days: DailyTotal[]; title: string }) {
  const chart = layoutBars(days);
  const first = days[0]?.day ?? "";
  const last = days[days.length - 1]?.day ?? "";
  return (
    <figure>
      <svg
        viewBox={`0 0 ${chart.width} ${chart.height + 20}`}
        className="h-auto w-full"
        role="img"
        aria-labelledby="records-chart-title"
        data-testid="records-chart"
      >
        <title id="records-chart-title">{`${title}: ${formatCount(chart.total)} records from ${first} to ${last}, at most ${formatCount(chart.max)} on one day`}</title>
        <line x1={0} x2={chart.width} y1={chart.height + 0.5} y2={chart.height + 0.5} className="stroke-slate-300" />
        {chart.bars.map((bar) => (
          <rect
            key={bar.day}
            x={bar.x}
            y={bar.y}
            width={bar.width}
            height={bar.height}
            rx={2}
            className="fill-brand-600"
            data-day={bar.day}
            data-records={bar.records}
          >
            <title>{`${bar.day}: ${formatCount(bar.records)} records in ${bar.runs} runs`}</title>
          </rect>
        ))}
        <text x={0} y={chart.height + 15} className="fill-slate-600 text-[11px]">
          {first}
        </text>
        <text x={chart.width} y={chart.height + 15} textAnchor="end" className="fill-slate-600 text-[11px]">
          {last}
        </text>
      </svg>
      <figcaption className="mt-1 text-xs text-slate-600">
        {formatCount(chart.total)} records created, updated or deleted in the last {days.length} days (UTC).
      </figcaption>
      <table className="sr-only">
        <caption>{title}</caption>
        <thead>
          <tr>
            <th scope="col">Day</th>
            <th scope="col">Records</th>
            <th scope="col">Runs</th>
          </tr>
        </thead>
        <tbody>
          {days.map((day) => (
            <tr key={day.day}>
              <td>{day.day}</td>
              <td>{day.records}</td>
              <td>{day.runs}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
