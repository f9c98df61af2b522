import type { Metadata } from "next";
import Link from "next/link";
import { Card } from "@/components/ui/card";
import { RelativeTime } from "@/components/ui/relative-time";
import { TABLE_CLASS, TableScroll } from "@/components/ui/table-scroll";
import { listAuditEvents } from "@/lib/dashboard/audit-log";
import type { AuditChange } from "@/lib/dashboard/audit-diff";
import { DashboardShell } from "../_components/dashboard-shell";
import { loadDashboard, type SearchParams } from "../_components/load-dashboard";

export const metadata: Metadata = { title: "Audit log" };

const MAX_CHANGES = 8;

export default async function AuditPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const params = await searchParams;
  const context = await loadDashboard(params, "/dashboard/audit");
  const account = context.scope?.current.id;
  const before = typeof params.before === "string" ? params.before : null;
  const page = account ? await listAuditEvents({ userId: context.user.id, accountId: account, before }) : null;
  const now = new Date();
  return (
    <DashboardShell context={context} path="/dashboard/audit" title="Audit log">
      {page && account ? (
        <Card title="Audit log">
          {page.entries.length === 0 ? (
            <p className="text-sm text-slate-600">Nothing has happened in this account yet.</p>
          ) : (
            <TableScroll label="Audit events">
              <table className={TABLE_CLASS} data-testid="audit-table">
                <caption className="sr-only">Audit events, newest first</caption>
                <thead>
                  <tr>
                    <th scope="col">When</th>
                    <th scope="col">Who</th>
                    <th scope="col">What</th>
                    <th scope="col">Change</th>
                  </tr>
                </thead>
                <tbody>
                  {page.entries.map((entry) => (
                    <tr key={entry.id} className="align-top">
                      <td className="whitespace-nowrap">
                        <RelativeTime date={entry.createdAt} now={now} />
                      </td>
                      <td>{entry.actorLabel}</td>
                      <td>
                        <code className="text-xs">{entry.action}</code>
                        {entry.orgName ? <span className="block text-xs text-slate-600">{entry.orgName}</span> : null}
                      </td>
                      <td className="max-w-md text-xs text-slate-700">
                        <AuditChanges changes={entry.changes} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableScroll>
          )}
          {page.nextBefore ? (
            <p className="mt-3 text-sm">
              <Link
                href={`/dashboard/audit?account=${encodeURIComponent(account)}&before=${encodeURIComponent(page.nextBefore)}`}
                className="font-semibold text-brand-700 underline"
              >
                Older events →
              </Link>
            </p>
          ) : null}
        </Card>
      ) : null}
    </DashboardShell>
  );
}

function AuditChanges({ changes }: { changes: AuditChange[] }) {
  if (changes.length === 0) return <span className="text-slate-600">—</span>;
  const shown = changes.slice(0, MAX_CHANGES);
  return (
    <ul className="space-y-0.5">
      {shown.map((change) => (
        <li key={change.path} className="break-all">
          <code>{change.path}</code>: {change.before === null ? "" : <del className="text-slate-600">{change.before}</del>}
          {change.before !== null && change.after !== null ? " → " : ""}
          {change.after === null ? "(removed)" : <ins className="no-underline">{change.after}</ins>}
        </li>
      ))}
      {changes.length > MAX_CHANGES ? <li className="text-slate-600">and {changes.length - MAX_CHANGES} more</li> : null}
    </ul>
  );
}
