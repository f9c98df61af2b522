import "server-only";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { createOrgApi, type OrgApiDeps, type RemoteIntegration } from "@/lib/officernd/org-api";

// Re-reads the installation's integration at OfficeRnD (`GET …/integrations/{id}?appClientId=`, v1 or
// v2 as the installation uses): its current locations (an admin may have changed them since Connect)
// and `settings.appClientId`. The signing secret is not handed out here.

export type IntegrationReadResult =
  | { kind: "found"; integrationId: string; locations: string[] | null; appClientId: string | null }
  /** 404: OfficeRnD does not know the integration (removed, or not ours for this client id). */
  | { kind: "not_found" };

/** Throws OfficeRndError / AppError when OfficeRnD gave no answer about the integration (retry later). */
export async function readIntegration({
  installationId,
  deps,
}: {
  installationId: string;
  deps?: OrgApiDeps;
}): Promise<IntegrationReadResult> {
  const installation = await db.installation.findUnique({
    where: { id: installationId },
    select: { orgSlug: true, regionUrl: true, integrationId: true },
  });
  if (!installation) throw new AppError("not_found", "No such installation.");
  const api = createOrgApi(
    { installationId, orgSlug: installation.orgSlug, regionUrl: installation.regionUrl },
    deps,
  );
  const integration: RemoteIntegration | null = await api.getIntegration(installation.integrationId);
  if (!integration) return { kind: "not_found" };
  return {
    kind: "found",
    integrationId: integration.id,
    locations: integration.locations,
    appClientId: integration.appClientId,
  };
}
