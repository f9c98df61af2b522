import "server-only";
import { db } from "@/lib/db";

export type LocationName = { locationId: string; name: string };

/**
 * Location names by OfficeRnD id (ObjectIds, unique across organisations); synced location records fill
 * in installations that cover every location. Callers have checked account membership.
 */
export async function listAccountLocations(installationIds: string[]): Promise<LocationName[]> {
  if (installationIds.length === 0) return [];
  const [configured, synced] = await Promise.all([
    db.installationLocation.findMany({
      where: { installationId: { in: installationIds } },
      select: { locationId: true, name: true },
    }),
    db.syncedLocation.findMany({
      where: { installationId: { in: installationIds }, deletedAt: null },
      select: { remoteId: true, name: true },
    }),
  ]);
  const names = new Map<string, string>();
  for (const location of synced) names.set(location.remoteId, location.name);
  for (const location of configured) names.set(location.locationId, location.name);
  return [...names]
    .map(([locationId, name]) => ({ locationId, name }))
    .sort((a, b) => a.name.localeCompare(b.name));
}
