import { buttonClass } from "@/components/ui/button";
import { db } from "@/lib/db";
import { diagnoseInstallation } from "@/lib/installations/diagnosis";
import { DiagnosisFix } from "./diagnosis-fix";

/**
 * The healthcheck's diagnosis in the configuration header (issue 13 part 4): what is wrong and since
 * when, what to do, and the one-click fix where one exists. Nothing when the installation is healthy.
 */
export async function DiagnosisBanner({
  installationId,
  canEdit,
  officeRndUrl,
}: {
  installationId: string;
  canEdit: boolean;
  officeRndUrl: string;
}) {
  const diagnosis = await diagnoseInstallation(installationId);
  if (!diagnosis) return null;
  const isSevere = diagnosis.status !== 503;
  return (
    <section
      aria-labelledby="diagnosis-title"
      data-testid="diagnosis"
      data-failure={diagnosis.failure}
      className={`mt-4 rounded-md p-3 text-sm ring-1 ${isSevere ? "bg-red-50 text-red-900 ring-red-200" : "bg-amber-50 text-amber-900 ring-amber-200"}`}
    >
      <h2 id="diagnosis-title" className="font-semibold">
        {isSevere ? "Action needed" : "Something needs attention"}
      </h2>
      <p className="mt-1" data-testid="diagnosis-message">
        {diagnosis.message}
      </p>
      <p className="mt-1" data-testid="diagnosis-action">
        <strong>What to do:</strong> {diagnosis.action}
      </p>
      {diagnosis.fix === "reconnect" ? (
        <ReconnectLink installationId={installationId} officeRndUrl={officeRndUrl} />
      ) : diagnosis.fix && canEdit ? (
        <DiagnosisFix installationId={installationId} fix={diagnosis.fix} />
      ) : null}
    </section>
  );
}

/**
 * Reconnect. Connect can only start in OfficeRnD: it issues the one-time code that /connect exchanges, and
 * OfficeRnD has no authorize endpoint a partner could send the admin to. So the closest one click opens
 * OfficeRnD's admin page at exactly this integration (org and integration id), where Connect is; connecting
 * it again updates this same installation (same id), not a new one.
 */
async function ReconnectLink({
  installationId,
  officeRndUrl,
}: {
  installationId: string;
  officeRndUrl: string;
}) {
  const installation = await db.installation.findUnique({
    where: { id: installationId },
    select: { orgSlug: true, integrationId: true },
  });
  if (!installation) return null;
  return (
    <p className="mt-3 flex flex-wrap items-center gap-2">
      <a
        href={officeRndIntegrationUrl(officeRndUrl, installation)}
        target="_blank"
        rel="noopener noreferrer"
        className={buttonClass("primary")}
        data-testid="reconnect-link"
      >
        Reconnect in OfficeRnD
      </a>
      <span className="text-xs">
        Opens this integration in OfficeRnD: press Connect there. This page updates when it is connected
        again.
      </span>
    </p>
  );
}

/** OfficeRnD's admin page at one integration (the emulator highlights it). */
export function officeRndIntegrationUrl(
  officeRndUrl: string,
  { orgSlug, integrationId }: { orgSlug: string; integrationId: string },
): string {
  const url = new URL("/", officeRndUrl);
  url.searchParams.set("org", orgSlug);
  url.searchParams.set("integration", integrationId);
  url.hash = `integration-card-${integrationId}`;
  return url.toString();
}
