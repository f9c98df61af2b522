import "server-only";
import { parseFieldMapping } from "@/lib/sync/field-mapping";
import { db } from "@/lib/db";
import type { RecordOf } from "@/lib/officernd/v2-schemas";
import { companyNames } from "@/lib/sync/company-names";
import { toSyncRow, type EntityKind, type SyncRow } from "@/lib/sync/mapping";

// The live row of one OfficeRnD document outside a sync page (a webhook, a re-read), filled the way a
// sync page fills it: the field mapping of the document's location, company names for members.

export async function mappedRow({
  installationId,
  kind,
  record,
}: {
  installationId: string;
  kind: EntityKind;
  record: RecordOf<EntityKind>;
}): Promise<SyncRow> {
  if (kind === "locations") return toSyncRow(kind, record);
  const locationId = (record as { location?: string | null }).location ?? null;
  const location = locationId
    ? await db.installationLocation.findUnique({
        where: { installationId_locationId: { installationId, locationId } },
        select: { settings: true },
      })
    : null;
  const fieldMapping = parseFieldMapping(location?.settings);
  const company = kind === "members" ? ((record as { company?: string | null }).company ?? null) : null;
  const names =
    company && fieldMapping.member.company === "company.name"
      ? await companyNames(installationId, [company])
      : undefined;
  return toSyncRow(kind, record, null, { fieldMapping, companyNames: names });
}
