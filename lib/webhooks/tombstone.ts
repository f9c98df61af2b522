import type { SyncRow } from "@/lib/sync/mapping";

// Pure: the row that marks a record deleted (or outside the synced scope). It keeps only ids and times
// (issue 12 item 8): no name, email or status of a record the customer does not sync, or that is gone.

export function tombstoneRow({
  remoteId,
  locationId = null,
  version,
  deletedAt,
}: {
  remoteId: string;
  locationId?: string | null;
  /** The version that orders writes: the record's `modifiedAt`, else when the removal happened. */
  version: string | null;
  deletedAt: string;
}): SyncRow {
  return {
    remoteId,
    locationId,
    companyId: null,
    name: "",
    email: null,
    status: null,
    data: { _id: remoteId, modifiedAt: version },
    remoteModifiedAt: version,
    deletedAt,
  };
}
