import { DEFAULT_FIELD_MAPPING, mapCompany, mapMember, type FieldMapping } from "@/lib/sync/field-mapping";
import type { LocationSettings } from "@/lib/sync/location-settings";
import type { CompanyRecord, LocationRecord, MemberRecord, RecordKind } from "@/lib/officernd/v2-schemas";

// Pure mapping from OfficeRnD API v2 documents to rows of our copy, and the rule for which documents
// belong in it. A row carries the whole document (`data`) next to the columns we query on; `name` and
// `email` hold the values the location's field mapping chooses, `mapped` the whole partner record.

export type EntityKind = RecordKind;

export type SyncRow = {
  remoteId: string;
  locationId: string | null;
  companyId: string | null;
  name: string;
  email: string | null;
  status: string | null;
  data: Record<string, unknown>;
  /** The partner's record under the location's field mapping (members, companies); null for tombstones. */
  mapped?: Record<string, unknown> | null;
  /** ISO timestamp from OfficeRnD's `modifiedAt`, the version used to order writes. */
  remoteModifiedAt: string | null;
  /** Set for a document that is known but does not (or no longer) belong in the copy. */
  deletedAt: string | null;
};

type AnyRecord = LocationRecord | CompanyRecord | MemberRecord;

/** How a live row's partner fields are filled: the location's mapping, and company names by id. */
export type RowMapping = { fieldMapping?: FieldMapping; companyNames?: ReadonlyMap<string, string> };

/** The partner's record for a document under a mapping; null for locations (not mapped). */
export function partnerRecord(
  kind: EntityKind,
  document: Record<string, unknown>,
  { fieldMapping = DEFAULT_FIELD_MAPPING, companyNames }: RowMapping = {},
): Record<string, unknown> | null {
  if (kind === "companies") return mapCompany(document, fieldMapping.company);
  if (kind !== "members") return null;
  const companyId = typeof document.company === "string" ? document.company : null;
  return mapMember(document, {
    mapping: fieldMapping.member,
    companyName: (companyId && companyNames?.get(companyId)) || null,
  });
}

export function toSyncRow(
  kind: EntityKind,
  record: AnyRecord,
  deletedAt: string | null = null,
  mapping: RowMapping = {},
): SyncRow {
  const fields = record as Partial<MemberRecord>;
  const ids = {
    remoteId: record._id,
    locationId: kind === "locations" ? null : (fields.location ?? null),
    companyId: kind === "members" ? (fields.company ?? null) : null,
    remoteModifiedAt: record.modifiedAt ?? null,
  };
  // A tombstone keeps only ids and times (what orders versions): no data of entities we do not sync.
  if (deletedAt !== null)
    return {
      ...ids,
      name: "",
      email: null,
      status: null,
      data: { _id: record._id, modifiedAt: record.modifiedAt ?? null },
      mapped: null,
      deletedAt,
    };
  const partner = partnerRecord(kind, record as Record<string, unknown>, mapping);
  return {
    ...ids,
    name: partner ? String(partner.name) : record.name,
    email: partner ? ((partner.email as string | null) ?? null) : null,
    status: kind === "locations" ? null : (fields.status ?? null),
    data: record as Record<string, unknown>,
    ...(partner ? { mapped: partner } : {}),
    deletedAt,
  };
}

/** What one installation copies: its enabled locations, each with its settings. */
export type SyncScope = ReadonlyMap<string, LocationSettings>;

export function isInScope(kind: EntityKind, record: AnyRecord, scope: SyncScope): boolean {
  if (kind === "locations") return scope.has(record._id);
  const locationId = (record as CompanyRecord).location;
  const settings = locationId ? scope.get(locationId) : undefined;
  if (!settings) return false;
  if (kind === "companies") return settings.syncCompanies;
  const status = (record as MemberRecord).status;
  return (
    settings.syncMembers &&
    status !== null &&
    status !== undefined &&
    (settings.memberStatuses as string[]).includes(status)
  );
}

/** Rows for a page: in-scope documents as live rows, the rest as tombstones stamped `observedAt`. */
export function toPageRows(
  kind: EntityKind,
  records: readonly AnyRecord[],
  scope: SyncScope,
  observedAt: string,
  mapping: RowMapping = {},
): SyncRow[] {
  return records.map((record) =>
    toSyncRow(kind, record, isInScope(kind, record, scope) ? null : observedAt, mapping),
  );
}

/** The newest `modifiedAt` among records and a previous maximum (ISO strings compare by time). */
export function maxModifiedAt(
  previous: string | null,
  records: readonly { modifiedAt?: string | null }[],
): string | null {
  let newest = previous === null ? Number.NEGATIVE_INFINITY : Date.parse(previous);
  let newestText = previous;
  for (const record of records) {
    if (!record.modifiedAt) continue;
    const ms = Date.parse(record.modifiedAt);
    if (ms > newest) {
      newest = ms;
      newestText = new Date(ms).toISOString();
    }
  }
  return newestText;
}
