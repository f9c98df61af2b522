import "server-only";
import { db } from "@/lib/db";
import { RECORD_SCHEMAS } from "@/lib/officernd/v2-schemas";
import { addInstallationLocations } from "@/lib/sync/discover-locations";
import { parseLocationSettings } from "@/lib/sync/location-settings";
import { isInScope, toSyncRow, type EntityKind, type SyncScope } from "@/lib/sync/mapping";
import { requestSync } from "@/lib/sync/request-sync";
import { writeRows, type WriteCounts } from "@/lib/sync/upsert";
import type { EntityAction } from "@/lib/webhooks/envelope";

// Applies a member, company or location event to the installation's copy. Events arrive out of order
// and more than once: the upsert only takes a version newer than the stored one, and a removal is a
// tombstone that no older event can undo. An entity outside the installation's scope (another
// location, a status not synced) is recorded as deleted, so an older in-scope event cannot revive it.

export type EntityEventResult = { outcome: "applied" | "ignored"; reason?: string; counts?: WriteCounts };

export async function applyEntityEvent({
  installationId,
  kind,
  action,
  object,
  now = new Date(),
}: {
  installationId: string;
  kind: EntityKind;
  action: EntityAction;
  object: unknown;
  now?: Date;
}): Promise<EntityEventResult> {
  const installation = await db.installation.findUnique({
    where: { id: installationId },
    select: { status: true, syncEnabled: true, locationsKey: true, locations: { where: { syncEnabled: true }, select: { locationId: true, settings: true } } },
  });
  if (!installation || installation.status !== "active") return { outcome: "ignored", reason: "installation not active" };
  if (!installation.syncEnabled) return { outcome: "ignored", reason: "sync is off" };

  const parsed = RECORD_SCHEMAS[kind].safeParse(object);
  if (!parsed.success) return { outcome: "ignored", reason: "object is not a readable record" };
  const record = parsed.data;

  // A location opened in an organisation the installation covers entirely joins the sync.
  if (kind === "locations" && action === "created" && installation.locationsKey === "") {
    const { added } = await addInstallationLocations(installationId, [{ id: record._id, name: record.name }]);
    for (const locationId of added) await requestSync({ installationId, locationId, trigger: "webhook.location_created", kind: "full" });
    return { outcome: "applied", reason: "location added" };
  }

  const scope: SyncScope = new Map(installation.locations.map((location) => [location.locationId, parseLocationSettings(location.settings)]));
  const isRemoval = action === "removed";
  const deletedAt = isRemoval || !isInScope(kind, record, scope) ? now.toISOString() : null;
  const counts = await writeRows({ kind, installationId, rows: [toSyncRow(kind, record, deletedAt)], isRemoval, stamp: now });
  return { outcome: "applied", counts };
}
