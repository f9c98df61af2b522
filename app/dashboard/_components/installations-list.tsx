import Link from "next/link";
import { InstallationStatusBadge } from "@/components/officernd/status-badges";
import { Card } from "@/components/ui/card";
import { RelativeTime } from "@/components/ui/relative-time";
import { formatCount } from "@/lib/format";
import type { InstallationSummary } from "@/lib/dashboard/list-installations";

export function InstallationsList({
  installations,
  now,
}: {
  installations: InstallationSummary[];
  now: Date;
}) {
  if (installations.length === 0) {
    return (
      <Card title="Installations">
        <p className="text-sm text-slate-600">
          No OfficeRnD organisation is connected to this account yet. In OfficeRnD, open the integration and
          press <strong>Connect</strong>.
        </p>
      </Card>
    );
  }
  return (
    <ul className="grid gap-4 md:grid-cols-2" aria-label="Installations">
      {installations.map((installation) => {
        const isRemoved = installation.status === "removed";
        return (
          <li key={installation.id} data-installation-id={installation.id}>
            <Card>
              <div className="flex flex-wrap items-start justify-between gap-2">
                <div className="min-w-0">
                  <h3 className="text-base font-semibold">
                    {installation.orgName}{" "}
                    <span className="font-normal text-slate-600">· {installation.locationsLabel}</span>
                  </h3>
                  <p className="text-xs text-slate-600" data-testid="installation-since">
                    <code>{installation.orgSlug}</code> ·{" "}
                    {isRemoved && installation.ending ? (
                      <>
                        {installation.ending.label} <RelativeTime date={installation.ending.at} now={now} />
                      </>
                    ) : isRemoved ? (
                      <>
                        disconnected <RelativeTime date={installation.removedAt} now={now} />
                      </>
                    ) : (
                      <>
                        connected <RelativeTime date={installation.connectedAt} now={now} />
                      </>
                    )}
                  </p>
                </div>
                <InstallationStatusBadge status={installation.status} />
              </div>
              <dl className="mt-3 grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1 text-sm">
                <dt className="text-slate-600">Sync</dt>
                <dd data-testid="sync-scope">{installation.syncScope}</dd>
                <dt className="text-slate-600">Last sync</dt>
                <dd>
                  <RelativeTime date={installation.lastSyncAt} now={now} />
                </dd>
                <dt className="text-slate-600">We hold</dt>
                <dd>
                  {installation.locations.length === 0 ? (
                    "nothing yet"
                  ) : (
                    <ul className="space-y-0.5" data-testid="held-per-location">
                      {installation.locations.map((location) => (
                        <li key={location.locationId}>
                          {location.name}: {formatCount(location.members)}{" "}
                          {location.members === 1 ? "member" : "members"} · {formatCount(location.companies)}{" "}
                          {location.companies === 1 ? "company" : "companies"}
                        </li>
                      ))}
                    </ul>
                  )}
                </dd>
              </dl>
              {isRemoved ? (
                <p className="mt-4 text-xs text-slate-600">
                  The synced data and the audit log are kept. Connect again from OfficeRnD to resume.
                </p>
              ) : (
                <p className="mt-4">
                  <Link
                    href={`/configure/${installation.id}?as=partner`}
                    className="text-sm font-semibold text-brand-700 underline"
                  >
                    Configure
                    <span className="sr-only">
                      {" "}
                      {`${installation.orgName} · ${installation.locationsLabel}`}
                    </span>
                  </Link>
                </p>
              )}
            </Card>
          </li>
        );
      })}
    </ul>
  );
}
