import type { Metadata } from "next";
import { forbidden, unauthorized } from "next/navigation";
import { InstallationRefusedCalls } from "@/components/officernd/refused-calls";
import { Card } from "@/components/ui/card";
import { buttonClass } from "@/components/ui/button";
import type { ConfigureViewer } from "@/lib/configuration/access";
import { authorizeCurrentRequest } from "@/lib/configuration/credentials";
import { toLiveStatus } from "@/lib/configuration/live-status";
import { loadConfiguration } from "@/lib/configuration/load-configuration";
import { AppError } from "@/lib/errors";
import { ConfigureHeader } from "./_components/configure-header";
import { DeletionReviewPanel } from "./_components/deletion-review";
import { DiagnosisBanner } from "./_components/diagnosis-banner";
import { DisconnectForm } from "./_components/disconnect-form";
import { LiveStatusProvider } from "./_components/live-status";
import { LocationCard } from "./_components/location-card";
import { RemovedNotice } from "./_components/removed-notice";
import { WebhookDelivery } from "./_components/webhook-delivery";

export const metadata: Metadata = { title: "Configuration", robots: { index: false } };

// The configuration screen, shown in OfficeRnD's 500×700 popup and on desktop. The live parts (header,
// location summaries, progress, runs, events) read one status route while the page is visible.
export default async function ConfigurePage({ params }: { params: Promise<{ installationId: string }> }) {
  const { installationId } = await params;
  let viewer: ConfigureViewer;
  try {
    viewer = await authorizeCurrentRequest(installationId, "read");
  } catch (error) {
    accessProblem(error);
  }
  const now = new Date();
  const configuration = await loadConfiguration({ viewer, now });
  const { installation } = configuration;
  const isRemoved = installation.status === "removed";
  const isOfficeRndAdmin = viewer.kind === "officernd-admin";

  return (
    <LiveStatusProvider
      installationId={installationId}
      isPartnerView={!isOfficeRndAdmin}
      initial={toLiveStatus(configuration, now)}
    >
      <a
        href="#done"
        className="sr-only focus:not-sr-only focus:fixed focus:left-2 focus:top-2 focus:z-20 focus:rounded-md focus:bg-white focus:px-3 focus:py-2 focus:text-sm focus:font-semibold focus:shadow"
      >
        Skip to {isOfficeRndAdmin ? (isRemoved ? "Return to OfficeRnD" : "Done") : "Back to dashboard"}
      </a>
      <div className="mx-auto flex min-h-screen max-w-3xl flex-col">
        <main className="flex-1 space-y-4 px-3 py-4 sm:px-6 sm:py-8">
          <ConfigureHeader
            viewer={viewer}
            diagnosis={
              <DiagnosisBanner
                installationId={installationId}
                canEdit={viewer.canEdit}
                officeRndUrl={new URL(configuration.returnUrl).origin}
              />
            }
          />
          <DeletionReviewPanel
            installationId={installationId}
            viewer={viewer}
            locations={configuration.locations}
          />
          {installation.status === "reconnect_required" ? (
            <p className="rounded-md bg-amber-50 p-3 text-sm text-amber-900 ring-1 ring-amber-200">
              OfficeRnD no longer accepts this connection. Reconnect the integration from OfficeRnD to resume
              syncing.
            </p>
          ) : null}
          {isRemoved ? (
            <RemovedNotice isOfficeRndAdmin={isOfficeRndAdmin} returnUrl={configuration.returnUrl} />
          ) : null}

          {configuration.locations.length === 0 ? (
            <Card title="Locations">
              <p className="text-sm text-slate-600">No locations are recorded for this installation yet.</p>
            </Card>
          ) : (
            configuration.locations.map((card) => (
              <LocationCard
                key={card.locationId}
                installationId={installationId}
                card={card}
                canEdit={viewer.canEdit}
                isRemoved={isRemoved}
                isOpen={configuration.locations.length === 1}
              />
            ))
          )}

          {isRemoved ? null : <WebhookDelivery installationId={installationId} now={now} />}
          <InstallationRefusedCalls installationId={installationId} now={now} />
          {!isRemoved && viewer.canEdit ? (
            <Card title="Disconnect">
              <DisconnectForm installationId={installationId} orgName={installation.orgName} />
            </Card>
          ) : null}
        </main>

        <footer className="sticky bottom-0 z-10 flex items-center justify-between gap-3 border-t border-slate-200 bg-white/95 px-3 py-3 backdrop-blur sm:px-6">
          <p className="text-xs text-slate-600">
            {isRemoved ? "This integration is disconnected." : "Each location saves on its own."}
          </p>
          {isOfficeRndAdmin ? (
            <a id="done" href={configuration.returnUrl} className={buttonClass("primary")}>
              {isRemoved ? "Return to OfficeRnD" : "Done"}
            </a>
          ) : (
            <a id="done" href="/dashboard" className={buttonClass("secondary")}>
              Back to dashboard
            </a>
          )}
        </footer>
      </div>
    </LiveStatusProvider>
  );
}

/**
 * No credentials: 401 (unauthorized.tsx points to OfficeRnD). Credentials for another installation,
 * or a role without access: 403 (forbidden.tsx), showing nothing of this installation.
 */
function accessProblem(error: unknown): never {
  if (error instanceof AppError && error.code === "unauthorized") unauthorized();
  if (error instanceof AppError && error.code === "forbidden") forbidden();
  throw error;
}
