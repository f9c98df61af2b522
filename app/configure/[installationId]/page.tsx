import type { Metadata } from "next";
import { forbidden, unauthorized } from "next/navigation";
import { InstallationRefusedCalls } from "@/components/officernd/refused-calls";
import { Card } from "@/components/ui/card";
import { buttonClass } from "@/components/ui/button";
import type { ConfigureViewer } from "@/lib/configuration/access";
import { authorizeCurrentRequest } from "@/lib/configuration/credentials";
import { loadConfiguration } from "@/lib/configuration/load-configuration";
import { AppError } from "@/lib/errors";
import { ConfigureHeader } from "./_components/configure-header";
import { DeletionReviewPanel } from "./_components/deletion-review";
import { DisconnectForm } from "./_components/disconnect-form";
import { LocationCard } from "./_components/location-card";
import { WebhookDelivery } from "./_components/webhook-delivery";

export const metadata: Metadata = { title: "Configuration", robots: { index: false } };

// The configuration screen, shown in OfficeRnD's 500×700 popup and on desktop. A server component:
// only the forms and the progress bar ship JavaScript.
export default async function ConfigurePage({ params }: { params: Promise<{ installationId: string }> }) {
  const { installationId } = await params;
  let viewer: ConfigureViewer;
  try {
    viewer = await authorizeCurrentRequest(installationId, "read");
  } catch (error) {
    accessProblem(error);
  }
  const configuration = await loadConfiguration({ viewer });
  const { installation } = configuration;
  const isRemoved = installation.status === "removed";
  const now = new Date();

  return (
    <main className="mx-auto max-w-3xl space-y-4 px-3 py-4 sm:px-6 sm:py-8">
      <ConfigureHeader configuration={configuration} viewer={viewer} now={now} />
      <DeletionReviewPanel installationId={installationId} viewer={viewer} locations={configuration.locations} />
      {installation.status === "reconnect_required" ? (
        <p className="rounded-md bg-amber-50 p-3 text-sm text-amber-900 ring-1 ring-amber-200">
          OfficeRnD no longer accepts this connection. Reconnect the integration from OfficeRnD to resume syncing.
        </p>
      ) : null}
      {isRemoved ? (
        <Card title="Disconnected">
          <p className="text-sm text-slate-600">
            This integration is disconnected. Its synced data and audit log are kept; connect it again from OfficeRnD to resume.
          </p>
          {viewer.kind === "officernd-admin" ? (
            <a href={configuration.returnUrl} className={`${buttonClass("primary")} mt-3`}>
              Return to OfficeRnD
            </a>
          ) : null}
        </Card>
      ) : null}

      {installation.coversAllLocations ? <p className="text-sm text-slate-600">This integration covers every location of the organisation.</p> : null}
      {configuration.locations.length === 0 ? (
        <Card title="Locations">
          <p className="text-sm text-slate-600">No locations are recorded for this installation yet.</p>
        </Card>
      ) : (
        configuration.locations.map((card) => (
          <LocationCard key={card.locationId} installationId={installationId} card={card} canEdit={viewer.canEdit} isRemoved={isRemoved} now={now} />
        ))
      )}

      {isRemoved ? null : <WebhookDelivery installationId={installationId} now={now} />}
      <InstallationRefusedCalls installationId={installationId} now={now} />
      {!isRemoved && viewer.canEdit ? (
        <Card title="Disconnect">
          <DisconnectForm installationId={installationId} orgName={installation.orgName} />
        </Card>
      ) : null}

      <div className="flex justify-end pb-4">
        {isRemoved && viewer.kind === "officernd-admin" ? null : viewer.kind === "officernd-admin" ? (
          <a href={configuration.returnUrl} className={buttonClass("primary")}>
            Done
          </a>
        ) : (
          <a href="/dashboard" className={buttonClass("secondary")}>
            Back to dashboard
          </a>
        )}
      </div>
    </main>
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
