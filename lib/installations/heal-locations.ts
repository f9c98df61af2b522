import "server-only";
import { recordAudit } from "@/lib/audit/record-audit";
import { db } from "@/lib/db";
import { forgetInstallation } from "@/lib/installations/signed-cache";
import { errorSummary, log } from "@/lib/log";
import { readIntegration, type IntegrationReadResult } from "@/lib/officernd/read-integration";
import { locationsKeyOf } from "@/lib/officernd/signed-query";
import { requestSync } from "@/lib/sync/request-sync";

// An admin may change an integration's locations at OfficeRnD after Connect; no event says so, the
// next signed call just carries the new `locations` (issue 11 part 4). A signature that verified is
// authentic, but `locations` is only believed once OfficeRnD's own integration record agrees: then
// the installation follows it (new locations get rows with sync on, dropped ones stop syncing and keep
// their data) and the call is answered normally. Only when OfficeRnD disagrees is it refused.

export type HealOutcome =
  | { kind: "healed"; locationsKey: string; added: string[]; dropped: string[] }
  /** OfficeRnD's integration lists other locations (or is gone): answer `locations_mismatch`. */
  | { kind: "disagrees"; remoteLocationsKey: string | null };

export type HealDeps = {
  read?: (input: { installationId: string }) => Promise<IntegrationReadResult>;
  now?: () => number;
};

/** After OfficeRnD disagreed, the same mismatch is not asked about again for this long (per process). */
const DISAGREEMENT_MEMORY_MS = 60_000;
const MAX_REMEMBERED = 10_000;
const disagreements = new Map<string, { until: number; remoteLocationsKey: string | null }>();

/**
 * Re-reads the integration (`GET …/integrations/{id}?appClientId=`) and, when it now lists exactly
 * `signedLocations`, updates the installation and audits it. Throws when OfficeRnD gives no answer
 * (the caller answers 503: it cannot tell yet).
 */
export async function healLocations(
  input: { installationId: string; accountId: string; storedLocationsKey: string; signedLocations: string },
  deps: HealDeps = {},
): Promise<HealOutcome> {
  const now = (deps.now ?? Date.now)();
  const signedKey = locationsKeyOf(input.signedLocations);
  const memoryKey = `${input.installationId}|${signedKey}`;
  const remembered = disagreements.get(memoryKey);
  if (remembered && remembered.until > now)
    return { kind: "disagrees", remoteLocationsKey: remembered.remoteLocationsKey };

  const remote = await (deps.read ?? readIntegration)({ installationId: input.installationId });
  // null locations: OfficeRnD did not say, which confirms nothing.
  const remoteKey =
    remote.kind === "found" && remote.locations ? locationsKeyOf(remote.locations.join(",")) : null;
  if (remoteKey !== signedKey) {
    if (disagreements.size >= MAX_REMEMBERED) disagreements.clear();
    disagreements.set(memoryKey, { until: now + DISAGREEMENT_MEMORY_MS, remoteLocationsKey: remoteKey });
    log.warn(
      { installationId: input.installationId, signedKey, remoteKey },
      "signed locations differ from the installation and from OfficeRnD's integration",
    );
    return { kind: "disagrees", remoteLocationsKey: remoteKey };
  }
  return applyLocations({ ...input, locationsKey: signedKey });
}

async function applyLocations(input: {
  installationId: string;
  accountId: string;
  storedLocationsKey: string;
  locationsKey: string;
}): Promise<HealOutcome> {
  const wanted = input.locationsKey === "" ? null : new Set(input.locationsKey.split(","));
  const result = await db.$transaction(async (tx) => {
    const [row] = await tx.$queryRaw<{ locationsKey: string }[]>`
      SELECT "locationsKey" FROM "Installation" WHERE "id" = ${input.installationId} FOR UPDATE`;
    const storedKey = row?.locationsKey ?? input.storedLocationsKey;
    // A concurrent call healed it already.
    if (storedKey === input.locationsKey) return { added: [], dropped: [], changed: false };
    const before = storedKey === "" ? null : new Set(storedKey.split(","));
    const rows = await tx.installationLocation.findMany({
      where: { installationId: input.installationId },
      select: { locationId: true, syncEnabled: true },
    });
    const known = new Set(rows.map((location) => location.locationId));
    // New to the integration: rows with sync on. Locations it already had keep the partner's own
    // per-location choice. "" (every location): nothing is dropped; discovery adds the unknown ones.
    const added = wanted ? [...wanted].filter((id) => (before ? !before.has(id) : !known.has(id))) : [];
    const dropped = wanted
      ? rows
          .filter((location) => location.syncEnabled && !wanted.has(location.locationId))
          .map((location) => location.locationId)
      : [];
    if (added.length > 0) {
      await tx.installationLocation.createMany({
        // The id stands in for the name until a sync reads the location.
        data: added
          .filter((id) => !known.has(id))
          .map((id) => ({ installationId: input.installationId, locationId: id, name: id })),
        skipDuplicates: true,
      });
      await tx.installationLocation.updateMany({
        where: { installationId: input.installationId, locationId: { in: added } },
        data: { syncEnabled: true },
      });
    }
    if (dropped.length > 0) {
      await tx.installationLocation.updateMany({
        where: { installationId: input.installationId, locationId: { in: dropped } },
        data: { syncEnabled: false },
      });
    }
    await tx.installation.update({
      where: { id: input.installationId },
      data: { locationsKey: input.locationsKey },
    });
    await recordAudit(
      {
        accountId: input.accountId,
        installationId: input.installationId,
        actor: "officernd:integration",
        action: "installation.locations.changed_at_officernd",
        before: { locationsKey: storedKey },
        after: { locationsKey: input.locationsKey, added, dropped },
      },
      tx,
    );
    return { added, dropped, changed: true };
  });
  if (result.changed) {
    forgetInstallation({ installationId: input.installationId });
    log.info(
      { installationId: input.installationId, added: result.added, dropped: result.dropped },
      "installation locations follow OfficeRnD's integration",
    );
    if (result.added.length > 0 || input.locationsKey === "") await syncNewLocations(input.installationId);
  }
  return { kind: "healed", locationsKey: input.locationsKey, added: result.added, dropped: result.dropped };
}

/** When sync is on, the new locations are synced now; a failed enqueue is retried by maintenance. */
async function syncNewLocations(installationId: string): Promise<void> {
  try {
    const installation = await db.installation.findUnique({
      where: { id: installationId },
      select: { syncEnabled: true },
    });
    if (installation?.syncEnabled) await requestSync({ installationId, trigger: "locations-changed" });
  } catch (error) {
    log.warn({ installationId, err: errorSummary(error) }, "could not queue a sync for new locations");
  }
}
