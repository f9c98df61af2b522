import { buttonClass } from "@/components/ui/button";
import { diagnoseInstallation } from "@/lib/installations/diagnosis";
import { DiagnosisFix } from "./diagnosis-fix";

/**
 * The healthcheck's diagnosis in the configuration header (issue 13 part 4): what is wrong and since
 * when, what to do, and the one-click fix where one exists. Nothing when the installation is healthy.
 */
export async function DiagnosisBanner({ installationId, canEdit, officeRndUrl }: { installationId: string; canEdit: boolean; officeRndUrl: string }) {
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
        // Connect starts in OfficeRnD (it issues the code): this opens it for the same integration.
        <a href={officeRndUrl} target="_blank" rel="noopener noreferrer" className={`${buttonClass("primary")} mt-3`}>
          Reconnect in OfficeRnD
        </a>
      ) : diagnosis.fix && canEdit ? (
        <DiagnosisFix installationId={installationId} fix={diagnosis.fix} />
      ) : null}
    </section>
  );
}
