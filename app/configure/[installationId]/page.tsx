import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { Card } from "@/components/ui/card";
import { checkConfigureAccess } from "@/lib/auth/configure-session";
import { loadConfigureOverview } from "./_data/load-overview";
import { OpenFromOfficeRnd } from "./_components/open-from-officernd";

export const metadata: Metadata = { title: "Configuration", robots: { index: false } };

// A minimal configuration screen; the full one (per-location settings) replaces its body.
export default async function ConfigurePage({ params }: { params: Promise<{ installationId: string }> }) {
  const { installationId } = await params;
  const access = await checkConfigureAccess(installationId);
  if (access.kind === "no_session") {
    return (
      <OpenFromOfficeRnd
        title="Open the configuration from OfficeRnD"
        text="This page needs a link from OfficeRnD. Open the integration's configuration there."
      />
    );
  }
  // A page cannot answer 403 without Next's experimental `authInterrupts` (forbidden()), so a session
  // for another installation gets a 404 with an explanation (not-found.tsx).
  if (access.kind === "other_installation") notFound();

  const overview = await loadConfigureOverview(installationId);
  if (!overview) notFound();
  if (overview.status === "removed") {
    return <OpenFromOfficeRnd title="This integration is not connected" text="Connect the integration again from OfficeRnD, then open its configuration." />;
  }
  return (
    <main className="mx-auto max-w-2xl space-y-4 px-4 py-6">
      <header>
        <p className="text-sm font-semibold uppercase tracking-wide text-brand-600">OfficeRnD integration</p>
        <h1 className="mt-1 text-2xl font-bold">Configuration</h1>
      </header>
      {overview.status === "reconnect_required" ? (
        <p role="status" className="rounded-md bg-amber-50 p-3 text-sm text-amber-900 ring-1 ring-amber-200">
          OfficeRnD no longer accepts this connection. Reconnect the integration from OfficeRnD to resume syncing.
        </p>
      ) : null}
      <Card title="Connection">
        <dl className="grid grid-cols-[max-content_1fr] gap-x-4 gap-y-2 text-sm">
          <dt className="text-slate-600">Partner account</dt>
          <dd data-testid="account-name">{overview.accountName}</dd>
          <dt className="text-slate-600">OfficeRnD organisation</dt>
          <dd data-testid="org-name">
            {overview.orgName} <span className="text-slate-500">({overview.orgSlug})</span>
          </dd>
          <dt className="text-slate-600">Synchronisation</dt>
          <dd>{overview.syncEnabled ? "On" : "Off"}</dd>
        </dl>
      </Card>
      <Card title={overview.isAllLocations ? "Locations (all locations of the organisation)" : "Locations"}>
        {overview.locations.length === 0 ? (
          <p className="text-sm text-slate-600">No locations are recorded for this installation yet.</p>
        ) : (
          <ul className="divide-y divide-slate-200 text-sm" aria-label="Connected locations">
            {overview.locations.map((location) => (
              <li key={location.id} className="py-2">
                {location.name}
              </li>
            ))}
          </ul>
        )}
      </Card>
    </main>
  );
}
