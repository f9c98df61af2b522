import type { Metadata } from "next";
import Link from "next/link";
import { buttonClass } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { SelectField } from "@/components/ui/field";
import { RelativeTime } from "@/components/ui/relative-time";
import { listAuditEvents, type AuditEntry, type AuditFilter } from "@/lib/dashboard/audit-log";
import { AUDIT_ACTION_GROUPS, type AuditActionGroup } from "@/lib/audit/audit-words";
import { DashboardShell } from "../_components/dashboard-shell";
import { loadDashboard, type SearchParams } from "../_components/load-dashboard";

export const metadata: Metadata = { title: "Audit log" };

const MAX_CHANGES = 12;

export default async function AuditPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const params = await searchParams;
  const context = await loadDashboard(params, "/dashboard/audit");
  const account = context.scope?.current.id;
  const before = single(params.before);
  const filter = parseFilter(params);
  const page = account
    ? await listAuditEvents({ userId: context.user.id, accountId: account, before, filter })
    : null;
  const now = new Date();
  const isFiltered = filter.installationId !== null || filter.group !== null;
  return (
    <DashboardShell context={context} path="/dashboard/audit" title="Audit log">
      {page && account ? (
        <Card title="Audit log">
          <form
            method="get"
            action="/dashboard/audit"
            role="search"
            aria-label="Filter the audit log"
            className="mb-4 grid gap-3 sm:grid-cols-[1fr_1fr_auto] sm:items-end"
          >
            <input type="hidden" name="account" value={account} />
            <SelectField
              id="audit-installation"
              name="installation"
              label="Installation"
              defaultValue={filter.installationId ?? ""}
              options={[
                { value: "", label: "All installations" },
                ...page.installations.map((installation) => ({
                  value: installation.id,
                  label: installation.label,
                })),
              ]}
            />
            <SelectField
              id="audit-action"
              name="action"
              label="What happened"
              defaultValue={filter.group ?? ""}
              options={[
                { value: "", label: "Everything" },
                ...Object.entries(AUDIT_ACTION_GROUPS).map(([value, group]) => ({
                  value,
                  label: group.label,
                })),
              ]}
            />
            <button type="submit" className={buttonClass("secondary")}>
              Filter
            </button>
          </form>
          {page.entries.length === 0 ? (
            <p className="text-sm text-slate-600">
              {isFiltered ? "Nothing matches these filters." : "Nothing has happened in this account yet."}
            </p>
          ) : (
            <ol
              className="divide-y divide-slate-100"
              data-testid="audit-table"
              aria-label="Audit events, newest first"
            >
              {page.entries.map((entry) => (
                <AuditRow key={entry.id} entry={entry} now={now} />
              ))}
            </ol>
          )}
          {page.nextBefore ? (
            <p className="mt-3 text-sm">
              <Link
                href={`/dashboard/audit?${new URLSearchParams({
                  account,
                  ...(filter.installationId ? { installation: filter.installationId } : {}),
                  ...(filter.group ? { action: filter.group } : {}),
                  before: page.nextBefore,
                }).toString()}`}
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

function AuditRow({ entry, now }: { entry: AuditEntry; now: Date }) {
  const shown = entry.changes.slice(0, MAX_CHANGES);
  return (
    <li className="py-3 text-sm" data-action={entry.action}>
      <p className="font-medium" data-testid="audit-sentence">
        {entry.sentence}
      </p>
      <p className="mt-0.5 text-xs text-slate-600">
        <RelativeTime date={entry.createdAt} now={now} />
        {entry.installationLabel ? ` · ${entry.installationLabel}` : ""}
      </p>
      <details className="mt-1 text-xs">
        <summary className="cursor-pointer text-slate-600">Details</summary>
        <dl className="mt-1 grid grid-cols-[max-content_1fr] gap-x-3 gap-y-0.5 break-all text-slate-700">
          <dt>Action</dt>
          <dd>
            <code>{entry.action}</code>
          </dd>
          <dt>Actor</dt>
          <dd>
            <code>{entry.actor}</code>
          </dd>
          {entry.installationId ? (
            <>
              <dt>Installation</dt>
              <dd>
                <code>{entry.installationId}</code>
              </dd>
            </>
          ) : null}
          <dt>Changes</dt>
          <dd>
            {shown.length === 0 ? (
              "—"
            ) : (
              <ul className="space-y-0.5">
                {shown.map((change) => (
                  <li key={change.path}>
                    <code>{change.path}</code>:{" "}
                    {change.before === null ? (
                      "(none)"
                    ) : (
                      <del className="text-slate-600">{change.before}</del>
                    )}{" "}
                    → {change.after === null ? "(none)" : <ins className="no-underline">{change.after}</ins>}
                  </li>
                ))}
                {entry.changes.length > MAX_CHANGES ? (
                  <li className="text-slate-600">and {entry.changes.length - MAX_CHANGES} more</li>
                ) : null}
              </ul>
            )}
          </dd>
        </dl>
      </details>
    </li>
  );
}

function single(value: string | string[] | undefined): string | null {
  const first = Array.isArray(value) ? value[0] : value;
  return first && first.length <= 100 ? first : null;
}

/** Lenient: an unknown installation id shows nothing (the query is per account); an unknown group, all. */
function parseFilter(params: SearchParams): AuditFilter {
  const installationId = single(params.installation);
  const group = single(params.action);
  return {
    installationId: installationId && /^[0-9a-f-]{36}$/i.test(installationId) ? installationId : null,
    group: group && group in AUDIT_ACTION_GROUPS ? (group as AuditActionGroup) : null,
  };
}
