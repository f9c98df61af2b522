import { toSyncRow, type EntityKind, type SyncRow } from "@/lib/sync/mapping";

// The row that marks a record deleted (or outside the synced scope) when webhook processing knows only
// its id: built by the sync's own toSyncRow, so webhooks and sync sweeps write the same tombstone, which
// keeps only ids and times (issue 12 item 8).

export function tombstoneRow({
  kind = "members",
  remoteId,
  locationId = null,
  version,
  deletedAt,
}: {
  kind?: EntityKind;
  remoteId: string;
  locationId?: string | null;
  /** The version that orders writes: the record's `modifiedAt`, else when the removal happened. */
  version: string | null;
  deletedAt: string;
}): SyncRow {
  return toSyncRow(
    kind,
    {
      _id: remoteId,
      name: "",
      modifiedAt: version,
      location: locationId,
      company: null,
      status: null,
      email: null,
    },
    deletedAt,
  );
}
