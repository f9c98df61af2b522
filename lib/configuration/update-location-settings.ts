import "server-only";
import { recordAudit } from "@/lib/audit/record-audit";
import type { ConfigureViewer } from "@/lib/configuration/access";
import { fieldMappingIssues, parseFieldMapping } from "@/lib/sync/field-mapping";
import type { LocationForm } from "@/lib/configuration/location-form";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { Prisma } from "@/lib/generated/prisma/client";
import { errorSummary, log } from "@/lib/log";
import { parseLocationSettings } from "@/lib/sync/location-settings";
import { remapLocation, type RemapCounts } from "@/lib/sync/remap";
import {
  countSettingsRemovals,
  removeOutOfSettings,
  type SettingsRemovals,
} from "@/lib/sync/settings-removals";
import { requestSync } from "@/lib/sync/request-sync";

// Saves one location card. A location syncs when both its own switch and the installation's switch
// (OfficeRnD's Sync URL) are on, and the card shows that effective state. Switching a location on
// while the installation is off turns the installation on and the other locations' own switches off,
// so that every other card keeps showing exactly what it showed before ("off").

export type UpdateLocationResult = {
  changed: boolean;
  syncQueued: boolean;
  /** Rows re-mapped from their stored documents after a field-mapping change (absent when none changed). */
  remapped?: RemapCounts;
  /**
   * Nothing was saved: the change would remove these records. Ask the admin, then save again with
   * `form.confirmRemovals` set to `total` (a larger count at that time asks again).
   */
  needsConfirmation?: SettingsRemovals;
  /** Records removed from the copy by this save, after the admin confirmed. */
  removed?: { members: number; companies: number };
};

type Outcome = {
  changed: boolean;
  wasSyncing: boolean;
  mappingChanged: boolean;
  isMappingOnly: boolean;
  needsConfirmation?: SettingsRemovals;
  removed?: { members: number; companies: number };
};

type Snapshot = { syncEnabled: boolean; installationSyncEnabled: boolean; settings: Prisma.InputJsonObject };

export async function updateLocationSettings({
  viewer,
  locationId,
  form,
}: {
  viewer: ConfigureViewer;
  locationId: string;
  form: LocationForm;
}): Promise<UpdateLocationResult> {
  const [issue] = fieldMappingIssues(form.fieldMapping);
  if (issue) throw new AppError("bad_request", `${issue.field}: ${issue.message}`);
  const outcome = await db.$transaction(async (tx): Promise<Outcome> => {
    // Serialises saves of one installation: two cards saved at once must not both read "installation off".
    const [installation] = await tx.$queryRaw<{ syncEnabled: boolean }[]>`
      SELECT "syncEnabled" FROM "Installation" WHERE "id" = ${viewer.installationId} FOR UPDATE`;
    const location = await tx.installationLocation.findUnique({
      where: { installationId_locationId: { installationId: viewer.installationId, locationId } },
      select: { id: true, name: true, syncEnabled: true, settings: true },
    });
    if (!installation || !location)
      throw new AppError("not_found", "This location is not part of the installation.");

    const before: Snapshot = {
      syncEnabled: installation.syncEnabled && location.syncEnabled,
      installationSyncEnabled: installation.syncEnabled,
      settings: stored(location.settings),
    };
    const turnsInstallationOn = form.syncEnabled && !installation.syncEnabled;
    const settings = {
      ...storedObject(location.settings),
      ...form.settings,
      fieldMapping: form.fieldMapping,
    } as Prisma.InputJsonObject;
    const after: Snapshot = {
      syncEnabled: form.syncEnabled,
      installationSyncEnabled: installation.syncEnabled || form.syncEnabled,
      settings: stored(settings),
    };
    const unchanged: Outcome = {
      changed: false,
      wasSyncing: before.syncEnabled,
      mappingChanged: false,
      isMappingOnly: false,
    };
    if (JSON.stringify(before) === JSON.stringify(after)) return unchanged;
    const mappingChanged =
      JSON.stringify(before.settings.fieldMapping) !== JSON.stringify(after.settings.fieldMapping);
    const withoutMapping = ({ settings: { fieldMapping: _mapping, ...rest }, ...snapshot }: Snapshot) =>
      JSON.stringify({ ...snapshot, settings: rest });
    const isMappingOnly = withoutMapping(before) === withoutMapping(after);

    // What this save would remove is counted first (issue 17 item 2). It goes ahead only when the admin
    // confirmed at least that many (the count may have grown since it was shown), and is removed at
    // once, in this transaction, so what was confirmed is exactly what goes.
    const removals = isMappingOnly
      ? null
      : await countSettingsRemovals({
          installationId: viewer.installationId,
          locationId,
          proposed: { syncEnabled: form.syncEnabled, settings: form.settings },
          client: tx,
        });
    if (removals && removals.total > 0 && (form.confirmRemovals ?? -1) < removals.total)
      return { ...unchanged, needsConfirmation: removals };

    await tx.installationLocation.update({
      where: { id: location.id },
      data: { syncEnabled: form.syncEnabled, settings },
    });
    let removed: { members: number; companies: number } | undefined;
    if (removals && removals.total > 0) {
      removed = await removeOutOfSettings({
        installationId: viewer.installationId,
        locationId,
        settings: form.settings,
        now: new Date(),
        client: tx,
      });
      await recordAudit(
        {
          accountId: viewer.accountId,
          installationId: viewer.installationId,
          actor: viewer.actor,
          action: "location.records.removal_confirmed",
          before: { locationId, name: location.name, wouldRemove: removals.total, reasons: removals.reasons },
          after: { locationId, name: location.name, confirmed: form.confirmRemovals ?? 0, removed },
        },
        tx,
      );
    }
    let pausedLocations: string[] = [];
    if (turnsInstallationOn) {
      await tx.installation.update({ where: { id: viewer.installationId }, data: { syncEnabled: true } });
      const others = await tx.installationLocation.findMany({
        where: { installationId: viewer.installationId, locationId: { not: locationId }, syncEnabled: true },
        select: { locationId: true },
      });
      pausedLocations = others.map((other) => other.locationId);
      await tx.installationLocation.updateMany({
        where: { installationId: viewer.installationId, locationId: { in: pausedLocations } },
        data: { syncEnabled: false },
      });
    }
    await recordAudit(
      {
        accountId: viewer.accountId,
        installationId: viewer.installationId,
        actor: viewer.actor,
        action: "location.settings.updated",
        before: { locationId, name: location.name, ...before },
        after: {
          locationId,
          name: location.name,
          ...after,
          ...(pausedLocations.length > 0 ? { locationsSwitchedOff: pausedLocations } : {}),
        },
      },
      tx,
    );
    return { changed: true, wasSyncing: before.syncEnabled, mappingChanged, isMappingOnly, removed };
  });

  if (outcome.needsConfirmation)
    return { changed: false, syncQueued: false, needsConfirmation: outcome.needsConfirmation };
  const removed = outcome.removed;
  // The partner's copy follows the new mapping at once, from the stored documents (no OfficeRnD call).
  const remapped = outcome.mappingChanged
    ? await remapLocation({
        installationId: viewer.installationId,
        locationId,
        fieldMapping: form.fieldMapping,
      })
    : null;
  const hasRemapped = remapped !== null && remapped.members + remapped.companies > 0;
  const extra = { ...(hasRemapped ? { remapped } : {}), ...(removed ? { removed } : {}) };

  // A location that starts syncing, or whose scope changed while syncing, gets a run right away.
  // A mapping-only change is complete once re-mapped: OfficeRnD has nothing new to tell.
  if (!outcome.changed || !form.syncEnabled || outcome.isMappingOnly)
    return { changed: outcome.changed, syncQueued: false, ...extra };
  try {
    // Changed settings get a full pass: an incremental one would miss members of newly chosen statuses.
    await requestSync({
      installationId: viewer.installationId,
      locationId,
      trigger: outcome.wasSyncing ? "configure.settings_changed" : "configure.sync_enabled",
      kind: outcome.wasSyncing ? "full" : "auto",
    });
    return { changed: true, syncQueued: true, ...extra };
  } catch (error) {
    // The settings are saved; the next scheduled or manual sync picks them up.
    log.error(
      { installationId: viewer.installationId, locationId, err: errorSummary(error) },
      "settings saved but sync not queued",
    );
    return { changed: true, syncQueued: false, ...extra };
  }
}

/** The stored settings in their normalised shape (sync settings + mapping), for before/after. */
function stored(value: unknown): Prisma.InputJsonObject {
  return {
    ...parseLocationSettings(value),
    fieldMapping: parseFieldMapping(value),
  } as unknown as Prisma.InputJsonObject;
}

function storedObject(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}
