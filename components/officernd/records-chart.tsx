import { formatCount } from "@/lib/format";
import { layoutBars, type DailyTotal } from "@/lib/dashboard/chart";

/**
 * Records synced per day as an inline SVG bar chart (no chart library, no client JavaScript). The SVG
 * holds only the bars, stretched to the card's width at a fixed height; labels are HTML so they keep
 * their size. Screen readers get the same numbers from a table.
 */
export function RecordsChart({ days, title }: { days: DailyTotal[]; title: string }) {
  const chart = layoutBars(days);
  const webhookTotal = days.reduce((sum, day) => sum + (day.webhooks ?? 0), 0);
  const first = days[0]?.day ?? "";
  const last = days[days.length - 1]?.day ?? "";
  return (
    <figure>
      <div className="flex items-stretch gap-2">
        <div
          className="flex flex-col justify-between text-right text-xs tabular-nums text-slate-600"
          aria-hidden="true"
        >
          <span>{formatCount(chart.max)}</span>
          <span>0</span>
        </div>
        <svg
          viewBox={`0 0 ${chart.width} ${chart.height}`}
          preserveAspectRatio="none"
          className="h-36 w-full border-b border-l border-slate-300"
          role="img"
          aria-labelledby="records-chart-title"
          data-testid="records-chart"
        >
          <title id="records-chart-title">{`${title}: ${formatCount(chart.total)} records from ${first} to ${last}, at most ${formatCount(chart.max)} on one day`}</title>
          {chart.bars.map((bar) => (
            <rect
              key={bar.day}
              x={bar.x}
              y={bar.y}
              width={bar.width}
              height={bar.height}
              className="fill-brand-600"
              data-day={bar.day}
              data-records={bar.records}
            >
              <title>{`${bar.day}: ${formatCount(bar.records)} records (${formatCount(bar.records - (bar.webhooks ?? 0))} by ${bar.runs} runs, ${formatCount(bar.webhooks ?? 0)} by webhooks)`}</title>
            </rect>
          ))}
        </svg>
      </div>
      <div className="mt-1 flex justify-between pl-8 text-xs text-slate-600" aria-hidden="true">
        <span>{first}</span>
        <span>{last}</span>
      </div>
      <figcaption className="mt-2 text-xs text-slate-600" data-testid="records-total">
        {formatCount(chart.total)} records created, updated or deleted in the last {days.length} days (UTC):{" "}
        {formatCount(chart.total - webhookTotal)} by sync runs, {formatCount(webhookTotal)} by webhooks.
      </figcaption>
      <table className="sr-only">
        <caption>{title}</caption>
        <thead>
          <tr>
            <th scope="col">Day</th>
            <th scope="col">Records</th>
            <th scope="col">Runs</th>
            <th scope="col">By webhooks</th>
          </tr>
        </thead>
        <tbody>
          {days.map((day) => (
            <tr key={day.day}>
              <td>{day.day}</td>
              <td>{day.records}</td>
              <td>{day.runs}</td>
              <td>{day.webhooks ?? 0}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
