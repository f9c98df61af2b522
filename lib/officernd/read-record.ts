import "server-only";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { ApiGeneration } from "@/lib/officernd/api-generation";
import { createOrgApi, type OrgApiDeps } from "@/lib/officernd/org-api";
import type { RecordKind, RecordOf } from "@/lib/officernd/v2-schemas";

// Re-reads one member, company or location by id for an installation: through API v1 or v2 (whichever
// the installation uses), mapped to the one model. A webhook is a trigger, not the truth: when its
// object cannot be applied as is, this read decides.

export type RecordReadResult<K extends RecordKind> =
  | { kind: "found"; record: RecordOf<K>; generation: ApiGeneration | null }
  /** OfficeRnD answered 404 for this record (not for the route): it is gone. */
  | { kind: "not_found"; generation: ApiGeneration | null };

/**
 * `GET …/{kind}/{id}` as the installation. Anything that is not an answer about the record throws: callers
 * then neither apply nor tombstone, but retry later.
 */
export async function readRecordById<K extends RecordKind>({
  installationId,
  kind,
  id,
  deps,
}: {
  installationId: string;
  kind: K;
  id: string;
  deps?: OrgApiDeps;
}): Promise<RecordReadResult<K>> {
  const installation = await db.installation.findUnique({
    where: { id: installationId },
    select: { orgSlug: true, regionUrl: true },
  });
  if (!installation) throw new AppError("not_found", "No such installation.");
  const api = createOrgApi(
    { installationId, orgSlug: installation.orgSlug, regionUrl: installation.regionUrl },
    deps,
  );
  const record = await api.getRecord(kind, id);
  return record === null
    ? { kind: "not_found", generation: api.generation() }
    : { kind: "found", record, generation: api.generation() };
}
