import "server-only";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { log } from "@/lib/log";
import { createOrgApi } from "@/lib/officernd/org-api";
import { addInstallationLocations } from "@/lib/sync/discover-locations";
import { parseLocationSettings } from "@/lib/sync/location-settings";
import { isInScope, type EntityKind, type SyncScope } from "@/lib/sync/mapping";
import { requestSync } from "@/lib/sync/request-sync";
import { writeRows, type WriteCounts } from "@/lib/sync/upsert";
import { mappedRow } from "@/lib/sync/write-record";
import { describeIssues, readEntityShape, type ModelRecord } from "@/lib/webhooks/entity-shape";
import type { EntityAction } from "@/lib/webhooks/envelope";
import { tombstoneRow } from "@/lib/webhooks/tombstone";

// Applies a member, company or location event to the copy (issue 11 §3: webhooks are triggers, not
// truth). A complete v1 or v2 document that belongs in the copy is applied; anything else (a missing or
// wrong field, or a live record that would leave the copy) is re-read by id and the answer applied. Only
// `*.removed` tombstones without asking. Events come out of order and twice: only newer versions win.

export type EntityEventResult = {
  outcome: "applied" | "ignored";
  reason?: string;
  source?: "webhook" | "re-read";
  counts?: WriteCounts;
};

/** Reads one record by id from OfficeRnD: the document, or null on 404. */
export type ReRead = (kind: EntityKind, id: string) => Promise<unknown>;

/** Re-read failures a retry cannot fix: the event is skipped (logged), the next sync catches up. */
const SKIPPED_CODES = new Set([
  "forbidden",
  "bad_request",
  "reconnect_required",
  "not_connected",
  "not_found",
]);

type Context = {
  installationId: string;
  kind: EntityKind;
  scope: SyncScope;
  /** The installation's locations whose own sync is off: their held data is kept as it is. */
  paused: ReadonlySet<string>;
  locationsKey: string;
  now: Date;
  eventId?: string;
};

export async function applyEntityEvent({
  installationId,
  kind,
  action,
  object,
  occurredAt,
  eventId,
  reRead,
  now = new Date(),
}: {
  installationId: string;
  kind: EntityKind;
  action: EntityAction;
  object: { _id: string } & Record<string, unknown>;
  /** When OfficeRnD says the event happened (its createdAt, else the signature's time). */
  occurredAt?: Date;
  eventId?: string;
  reRead?: ReRead;
  now?: Date;
}): Promise<EntityEventResult> {
  const installation = await db.installation.findUnique({
    where: { id: installationId },
    select: {
      status: true,
      syncEnabled: true,
      locationsKey: true,
      orgSlug: true,
      regionUrl: true,
      locations: { select: { locationId: true, settings: true, syncEnabled: true } },
    },
  });
  if (!installation || installation.status !== "active")
    return { outcome: "ignored", reason: "installation not active" };
  if (!installation.syncEnabled) return { outcome: "ignored", reason: "sync is off" };
  const enabled = installation.locations.filter((location) => location.syncEnabled);
  const scope: SyncScope = new Map(
    enabled.map((location) => [location.locationId, parseLocationSettings(location.settings)]),
  );
  const paused = new Set(
    installation.locations.filter((location) => !location.syncEnabled).map((location) => location.locationId),
  );
  const context: Context = {
    installationId,
    kind,
    scope,
    paused,
    locationsKey: installation.locationsKey,
    now,
    eventId,
  };

  if (action === "removed") {
    const stated =
      typeof object.modifiedAt === "string" && !Number.isNaN(Date.parse(object.modifiedAt))
        ? new Date(object.modifiedAt)
        : null;
    const version = (stated ?? occurredAt ?? now).toISOString();
    const location =
      typeof object.location === "string"
        ? object.location
        : typeof object.office === "string"
          ? object.office
          : null;
    const counts = await writeTombstone({
      kind,
      installationId,
      remoteId: object._id,
      locationId: kind === "locations" ? null : location,
      version,
      now,
    });
    return { outcome: "applied", reason: "removed", source: "webhook", counts };
  }

  const shape = readEntityShape(kind, object, { path: "data.object" });
  if (shape.ok) {
    if (isPaused(context, shape.record)) return PAUSED;
    if (isInScope(kind, shape.record, scope) || isNewLocation(context, action))
      return applyRecord(context, shape.record, "webhook", action);
    // Nothing in the copy to lose: remember the version (ids and times only) so an older event cannot
    // bring it in. A live record that would leave the copy is confirmed with OfficeRnD first.
    if (!(await hasLiveRow(kind, installationId, object._id)))
      return applyRecord(context, shape.record, "webhook", action);
  } else {
    log.warn(
      { installationId, eventId, kind, objectId: object._id, issues: shape.issues },
      "webhook object incomplete, re-reading the record",
    );
  }

  const read =
    reRead ??
    defaultReRead({ installationId, orgSlug: installation.orgSlug, regionUrl: installation.regionUrl });
  let fresh: unknown;
  try {
    fresh = await read(kind, object._id);
  } catch (error) {
    if (error instanceof AppError && SKIPPED_CODES.has(error.code)) {
      log.warn(
        { installationId, eventId, kind, objectId: object._id, code: error.code },
        "webhook re-read refused; event skipped",
      );
      return {
        outcome: "ignored",
        reason: `re-read refused (${error.code}): ${error.message}`.slice(0, 300),
      };
    }
    throw error; // Timeouts, 5xx, rate limits: the job is retried with backoff.
  }
  const incomplete = shape.ok ? "" : `; webhook object: ${describeIssues(shape.issues)}`;
  if (fresh === null || fresh === undefined) {
    const counts = await writeTombstone({
      kind,
      installationId,
      remoteId: object._id,
      version: now.toISOString(),
      now,
    });
    return {
      outcome: "applied",
      reason: `re-read: not found at OfficeRnD${incomplete}`.slice(0, 500),
      source: "re-read",
      counts,
    };
  }
  const reread = readEntityShape(kind, fresh, { path: `GET ${kind}/${object._id}`, isCompanyOptional: true });
  if (!reread.ok) {
    log.warn(
      { installationId, eventId, kind, objectId: object._id, issues: reread.issues },
      "re-read record unreadable; event skipped",
    );
    return {
      outcome: "ignored",
      reason: `re-read record unreadable: ${describeIssues(reread.issues)}`.slice(0, 500),
    };
  }
  const result = await applyRecord(context, reread.record, "re-read", action);
  return { ...result, reason: `${result.reason ?? "re-read"}${incomplete}`.slice(0, 500) };
}

function writeTombstone({
  kind,
  installationId,
  remoteId,
  locationId,
  version,
  now,
}: {
  kind: EntityKind;
  installationId: string;
  remoteId: string;
  locationId?: string | null;
  version: string;
  now: Date;
}): Promise<WriteCounts> {
  return writeRows({
    kind,
    installationId,
    rows: [tombstoneRow({ kind, remoteId, locationId, version, deletedAt: now.toISOString() })],
    isRemoval: true,
    stamp: now,
  });
}

/** A location created in an organisation the installation covers entirely joins the sync. */
function isNewLocation(context: Context, action: EntityAction): boolean {
  return context.kind === "locations" && action === "created" && context.locationsKey === "";
}

/** Turning a location off keeps its data, as Disconnect does (issue 17 item 2): its events change nothing. */
const PAUSED: EntityEventResult = {
  outcome: "ignored",
  reason: "sync is off for this location; its data is kept",
};

function isPaused(context: Context, record: ModelRecord): boolean {
  const locationId =
    context.kind === "locations" ? record._id : ((record as { location?: string | null }).location ?? null);
  return locationId !== null && context.paused.has(locationId);
}

async function applyRecord(
  context: Context,
  record: ModelRecord,
  source: "webhook" | "re-read",
  action: EntityAction,
): Promise<EntityEventResult> {
  const { installationId, kind, scope, now } = context;
  if (isPaused(context, record)) return { ...PAUSED, source };
  if (isNewLocation(context, action) && !scope.has(record._id)) {
    const { added } = await addInstallationLocations(installationId, [{ id: record._id, name: record.name }]);
    for (const locationId of added)
      await requestSync({ installationId, locationId, trigger: "webhook.location_created", kind: "full" });
    return { outcome: "applied", reason: "location added", source };
  }
  const isLive = isInScope(kind, record, scope);
  const location = kind === "locations" ? null : ((record as { location?: string | null }).location ?? null);
  const row = isLive
    ? await mappedRow({ installationId, kind, record })
    : tombstoneRow({
        kind,
        remoteId: record._id,
        locationId: location,
        version: record.modifiedAt ?? null,
        deletedAt: now.toISOString(),
      });
  const counts = await writeRows({ kind, installationId, rows: [row], stamp: now });
  return {
    outcome: "applied",
    reason: isLive ? undefined : "outside the synced locations or statuses",
    source,
    counts,
  };
}

async function hasLiveRow(kind: EntityKind, installationId: string, remoteId: string): Promise<boolean> {
  const where = { installationId_remoteId: { installationId, remoteId } };
  const select = { deletedAt: true } as const;
  const row =
    kind === "members"
      ? await db.member.findUnique({ where, select })
      : kind === "companies"
        ? await db.company.findUnique({ where, select })
        : await db.syncedLocation.findUnique({ where, select });
  return row !== null && row.deletedAt === null;
}

function defaultReRead(target: { installationId: string; orgSlug: string; regionUrl: string }): ReRead {
  // v1 or v2 as the installation uses; null only for a 404 about the record itself.
  const client = createOrgApi(target);
  return (kind, id) => client.getRecord(kind, id);
}
