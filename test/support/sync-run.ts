// Running sync runs to completion in a test, and the configure viewer the settings functions take.
import type { ConfigureViewer } from "@/lib/configuration/access";
import { db } from "@/lib/db";
import { executeRun, type EngineDeps } from "@/lib/sync/engine";
import { requestSync } from "@/lib/sync/request-sync";
import { claimNextRun } from "@/lib/sync/run-claim";
import type { ConnectedInstallation } from "../../bench/lib/emulator-org";

export const FAST: EngineDeps = { client: { policy: { baseDelayMs: 20, maxDelayMs: 200 } } };

/** Claims and executes runs of the location until none is left; returns the outcomes. */
export async function drain(
  installationId: string,
  locationId: string | null,
  deps: EngineDeps = FAST,
): Promise<string[]> {
  const outcomes: string[] = [];
  for (let step = 0; step < 50; step++) {
    const claim = await claimNextRun({ installationId, locationId });
    if (claim.kind !== "claimed") return outcomes;
    outcomes.push(await executeRun(claim.run, deps));
  }
  throw new Error("runs did not finish");
}

export async function syncLocation(
  installation: ConnectedInstallation,
  locationId: string,
  kind: "full" | "incremental" | "auto" = "auto",
  deps: EngineDeps = FAST,
): Promise<string[]> {
  await requestSync({ installationId: installation.installationId, locationId, trigger: "test", kind });
  return drain(installation.installationId, locationId, deps);
}

/** An OfficeRnD admin's viewer of the installation, as authorizeConfigure would return it. */
export async function adminViewer(installationId: string): Promise<ConfigureViewer> {
  const installation = await db.installation.findUniqueOrThrow({
    where: { id: installationId },
    select: { accountId: true },
  });
  return {
    installationId,
    accountId: installation.accountId,
    kind: "officernd-admin",
    actor: `officernd-admin:${installationId}`,
    role: null,
    canEdit: true,
    isRemoved: false,
  };
}
