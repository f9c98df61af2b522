// Pure: which changes at OfficeRnD no webhook told us about (issue 13 part 3). A change is covered when
// our copy already holds that version (or a newer one) or a webhook event for the record arrived after
// it; changes younger than the grace period may still be on their way and are left for the next check.

export type RemoteChange = {
  id: string;
  modifiedAt: string;
  /** In the synced scope, or a record we hold live (so its change matters to the copy). */
  isRelevant: boolean;
};

export type GapInput = {
  changes: readonly RemoteChange[];
  /** Our copy's version per record id (remoteModifiedAt, ISO or null). */
  copyVersions: ReadonlyMap<string, string | null>;
  heardAt: ReadonlyMap<string, Date>;
  /** Changes after this are in flight (now − grace). */
  settledBefore: Date;
  previousCheckedThrough: string | null;
  /** Clocks differ: an event received this long before the change still counts as its notice. */
  skewMs?: number;
};

export type GapResult = { missed: RemoteChange[]; checkedThrough: string | null; inFlight: number };

export function findMissedChanges({
  changes,
  copyVersions,
  heardAt,
  settledBefore,
  previousCheckedThrough,
  skewMs = 5_000,
}: GapInput): GapResult {
  const missed: RemoteChange[] = [];
  let checkedThrough = previousCheckedThrough;
  let inFlight = 0;
  for (const change of changes) {
    const changedAt = Date.parse(change.modifiedAt);
    if (Number.isNaN(changedAt)) continue;
    if (changedAt > settledBefore.getTime()) {
      inFlight++;
      continue;
    }
    if (checkedThrough === null || changedAt > Date.parse(checkedThrough))
      checkedThrough = new Date(changedAt).toISOString();
    const copy = copyVersions.get(change.id);
    const isInCopy = copy !== undefined && copy !== null && Date.parse(copy) >= changedAt;
    const heard = heardAt.get(change.id);
    const isHeard = heard !== undefined && heard.getTime() >= changedAt - skewMs;
    if (change.isRelevant && !isInCopy && !isHeard) missed.push(change);
  }
  return { missed, checkedThrough, inFlight };
}

/** "webhooks missed: 3 changes since 14:02 UTC" (50+ when the first page was full). */
export function gapMessage({
  count,
  hasMore,
  since,
}: {
  count: number;
  hasMore: boolean;
  since: Date;
}): string {
  const time = since.toISOString().slice(11, 16);
  const what = `${count}${hasMore ? "+" : ""} ${count === 1 && !hasMore ? "change" : "changes"}`;
  return `webhooks missed: ${what} since ${time} UTC`;
}
