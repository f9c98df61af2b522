import type { LocationSettings } from "@/lib/sync/location-settings";
import type { CompanyRecord, LocationRecord, MemberRecord, RecordKind } from "@/lib/officernd/v2-schemas";

// Pure mapping from OfficeRnD API v2 documents to rows of our copy, and the rule for which documents
// belong in it. A row carries the whole document (`data`) next to the columns we query on.

export type EntityKind = RecordKind;

export type SyncRow = {
  remoteId: string;
  locationId: string | null;
  companyId: string | null;
  name: string;
  email: string | null;
  status: string | null;
  data: Record<string, unknown>;
  /** ISO timestamp from OfficeRnD's `modifiedAt`, the version used to order writes. */
  remoteModifiedAt: string | null;
  /** Set for a document that is known but does not (or no longer) belong in the copy. */
  deletedAt: string | null;
};

type AnyRecord = LocationRecord | CompanyRecord | MemberRecord;

export function toSyncRow(kind: EntityKind, record: AnyRecord, deletedAt: string | null = null): SyncRow {
  const fields = record as Partial<MemberRecord>;
  return {
    remoteId: record._id,
    locationId: kind === "locations" ? null : (fields.location ?? null),
    companyId: kind === "members" ? (fields.company ?? null) : null,
    name: record.name,
    email: kind === "locations" ? null : (fields.email ?? null),
    status: kind === "locations" ? null : (fields.status ?? null),
    // A tombstone keeps only what orders versions: the copy holds no data of entities it does not sync.
    data: deletedAt === null ? (record as Record<string, unknown>) : { _id: record._id, modifiedAt: record.modifiedAt ?? null },
    remoteModifiedAt: record.modifiedAt ?? null,
    deletedAt,
  };
}

/** What one installation copies: its enabled locations, each with its settings. */
export type SyncScope = ReadonlyMap<string, LocationSettings>;

/** Does this document belong in the installation's copy? */
export function isInScope(kind: EntityKind, record: AnyRecord, scope: SyncScope): boolean {
  if (kind === "locations") return scope.has(record._id);
  const locationId = (record as CompanyRecord).location;
  const settings = locationId ? scope.get(locationId) : undefined;
  if (!settings) return false;
  if (kind === "companies") return settings.syncCompanies;
  const status = (record as MemberRecord).status;
  return settings.syncMembers && status !== null && status !== undefined && (settings.memberStatuses as string[]).includes(status);
}

/** Rows for a page: in-scope documents as live rows, the rest as tombstones stamped `observedAt`. */
export function toPageRows(kind: EntityKind, records: readonly AnyRecord[], scope: SyncScope, observedAt: string): SyncRow[] {
  return records.map((record) => toSyncRow(kind, record, isInScope(kind, record, scope) ? null : observedAt));
}

/** The newest `modifiedAt` among records and a previous maximum (ISO strings compare by time). */
export function maxModifiedAt(previous: string | null, records: readonly { modifiedAt?: string | null }[]): string | null {
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
