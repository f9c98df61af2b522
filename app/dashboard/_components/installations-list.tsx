import Link from "next/link";
import { InstallationStatusBadge } from "@/components/officernd/status-badges";
import { Card } from "@/components/ui/card";
import { RelativeTime } from "@/components/ui/relative-time";
import type { InstallationSummary } from "@/lib/dashboard/list-installations";

export function InstallationsList({ installations, now }: { installations: InstallationSummary[]; now: Date }) {
  if (installations.length === 0) {
    return (
      <Card title="Installations">
        <p className="text-sm text-slate-600">
          No OfficeRnD organisation is connected to this account yet. In OfficeRnD, open the integration and press <strong>Connect</strong>.
        </p>
      </Card>
    );
  }
  return (
    <ul className="grid gap-4 md:grid-cols-2" aria-label="Installations">
      {installations.map((installation) => (
        <li key={installation.id}>
          <Card>
            <div className="flex flex-wrap items-start justify-between gap-2">
              <div>
                <h3 className="text-base font-semibold">{installation.orgName}</h3>
                <p className="text-xs text-slate-600">
                  <code>{installation.orgSlug}</code> · connected <RelativeTime date={installation.connectedAt} now={now} />
                </p>
              </div>
              <InstallationStatusBadge status={installation.status} />
            </div>
            <dl className="mt-3 grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1 text-sm">
              <dt className="text-slate-600">Locations</dt>
              <dd>
                {installation.coversAllLocations ? "All locations: " : ""}
                {installation.locations.length === 0 ? "none recorded" : installation.locations.map((location) => location.name).join(", ")}
              </dd>
              <dt className="text-slate-600">Sync</dt>
              <dd>
                {installation.syncEnabled
                  ? `On for ${installation.locations.filter((location) => location.syncEnabled).length} of ${installation.locations.length}`
                  : "Off"}
              </dd>
              <dt className="text-slate-600">Last sync</dt>
              <dd>
                <RelativeTime date={installation.lastSyncAt} now={now} />
              </dd>
            </dl>
            {installation.status === "removed" ? null : (
              <p className="mt-4">
                <Link href={`/configure/${installation.id}`} className="text-sm font-semibold text-brand-700 underline">
                  Configure<span className="sr-only"> {installation.orgName}</span>
                </Link>
              </p>
            )}
          </Card>
        </li>
      ))}
    </ul>
  );
}
