import "server-only";
import { recordAudit } from "@/lib/audit/record-audit";
import type { ConfigureViewer } from "@/lib/configuration/access";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { requestSync } from "@/lib/sync/request-sync";
import { getActiveRun } from "@/lib/sync/runs";

// "Sync now" on a location card. A second click while a run of that location is queued or running
// does not queue another: it answers the run already under way.

export type SyncNowResult = { runId: string | null; alreadyRunning: boolean };

export async function requestLocationSync({
  viewer,
  locationId,
}: {
  viewer: ConfigureViewer;
  locationId: string;
}): Promise<SyncNowResult> {
  const [installation, location] = await Promise.all([
    db.installation.findUnique({ where: { id: viewer.installationId }, select: { syncEnabled: true } }),
    db.installationLocation.findUnique({
      where: { installationId_locationId: { installationId: viewer.installationId, locationId } },
      select: { name: true, syncEnabled: true },
    }),
  ]);
  if (!installation || !location)
    throw new AppError("not_found", "This location is not part of the installation.");
  if (!installation.syncEnabled || !location.syncEnabled)
    throw new AppError("conflict", "Sync is off for this location. Turn it on and save first.");

  const active = await getActiveRun(viewer.installationId, locationId);
  if (active) return { runId: active.id, alreadyRunning: true };
  const { runIds } = await requestSync({
    installationId: viewer.installationId,
    locationId,
    trigger: "configure.sync_now",
  });
  await recordAudit({
    accountId: viewer.accountId,
    installationId: viewer.installationId,
    actor: viewer.actor,
    action: "sync.requested",
    after: { locationId, name: location.name, runIds },
  });
  return { runId: runIds[0] ?? null, alreadyRunning: false };
}
