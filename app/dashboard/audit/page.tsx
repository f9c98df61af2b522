import type { Metadata } from "next";
import Link from "next/link";
import { Card } from "@/components/ui/card";
import { RelativeTime } from "@/components/ui/relative-time";
import { TABLE_CLASS, TableScroll } from "@/components/ui/table-scroll";
import { listAuditEvents } from "@/lib/dashboard/audit-log";
import { DashboardShell } from "../_components/dashboard-shell";
import { loadDashboard, type SearchParams } from "../_components/load-dashboard";

export const metadata: Metadata = { title: "Audit log" };

const CHANGE_PREVIEW = 160;

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
                        {entry.before !== null ? <span className="block break-all">before: {preview(entry.before)}</span> : null}
                        {entry.after !== null ? <span className="block break-all">after: {preview(entry.after)}</span> : null}
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

function preview(value: unknown): string {
  const text = JSON.stringify(value);
  return text.length > CHANGE_PREVIEW ? `${text.slice(0, CHANGE_PREVIEW)}…` : text;
}
