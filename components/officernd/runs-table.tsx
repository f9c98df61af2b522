import { RelativeTime } from "@/components/ui/relative-time";
import { DENSE_TABLE_CLASS, TableScroll } from "@/components/ui/table-scroll";
import { formatCount, formatDuration } from "@/lib/format";
import { describeTrigger } from "@/lib/sync/run-status";
import type { SyncRunView } from "@/lib/sync/runs";
import { RunStatusBadge } from "./status-badges";

export type RunsTableRow = Pick<
  SyncRunView,
  | "id"
  | "status"
  | "trigger"
  | "created"
  | "updated"
  | "deleted"
  | "failed"
  | "createdAt"
  | "startedAt"
  | "finishedAt"
  | "error"
> & {
  /** Shown when the table spans installations (the dashboard). */
  where?: string;
};

/** Sync runs: when, how long, created, updated, deleted, failed. */
export function RunsTable({
  runs,
  label,
  now,
  empty = "No sync has run yet.",
}: {
  runs: RunsTableRow[];
  label: string;
  now: Date;
  empty?: string;
}) {
  if (runs.length === 0) return <p className="text-sm text-slate-600">{empty}</p>;
  const showWhere = runs.some((run) => run.where !== undefined);
  return (
    <TableScroll label={label}>
      <table className={DENSE_TABLE_CLASS}>
        <caption className="sr-only">{label}</caption>
        <thead>
          <tr>
            <th scope="col">When</th>
            {showWhere ? <th scope="col">Where</th> : null}
            <th scope="col">Status</th>
            <th scope="col">Took</th>
            <th scope="col" className="text-right">
              Created
            </th>
            <th scope="col" className="text-right">
              Updated
            </th>
            <th scope="col" className="text-right">
              Deleted
            </th>
            <th scope="col" className="text-right">
              Failed
            </th>
          </tr>
        </thead>
        <tbody>
          {runs.map((run) => (
            <tr key={run.id} data-run-id={run.id}>
              <td className="whitespace-nowrap">
                <RelativeTime date={run.startedAt ?? run.createdAt} now={now} />
                <span className="block text-slate-600">{describeTrigger(run.trigger)}</span>
              </td>
              {showWhere ? <td>{run.where}</td> : null}
              <td title={run.error ?? undefined}>
                <RunStatusBadge status={run.status} />
              </td>
              <td className="whitespace-nowrap">
                {run.startedAt && run.finishedAt
                  ? formatDuration(run.finishedAt.getTime() - run.startedAt.getTime())
                  : "—"}
              </td>
              <td className="text-right tabular-nums">{formatCount(run.created)}</td>
              <td className="text-right tabular-nums">{formatCount(run.updated)}</td>
              <td className="text-right tabular-nums">{formatCount(run.deleted)}</td>
              <td className={`text-right tabular-nums ${run.failed > 0 ? "font-semibold text-red-700" : ""}`}>
                {formatCount(run.failed)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}
