import "server-only";
import { db } from "@/lib/db";
import type { OrgApi } from "@/lib/officernd/org-api";
import { PAGE_LIMIT } from "@/lib/sync/plan";
import type { ClaimedRun } from "@/lib/sync/run-claim";

// An installation for "all locations" (`locationsKey` "") has one InstallationLocation per location of
// the organisation. A discovery run lists them and adds the ones opened since, each with default
// settings; the caller then syncs the new ones.

export async function discoverLocations(run: ClaimedRun, client: OrgApi): Promise<{ added: string[] }> {
  if (run.installation.locationsKey !== "") return { added: [] };
  const found: { id: string; name: string }[] = [];
  let cursor: string | null = null;
  do {
    const query = new URLSearchParams({ $limit: String(PAGE_LIMIT) });
    if (cursor) query.set("$cursorNext", cursor);
    const page = await client.listPage("locations", query);
    found.push(...page.results.map((location) => ({ id: location._id, name: location.name })));
    cursor = page.cursorNext;
  } while (cursor);
  const result = await addInstallationLocations(run.installationId, found);
  await db.syncRun.update({
    where: { id: run.id },
    data: { created: result.added.length, unchanged: found.length - result.added.length, done: found.length },
  });
  return result;
}

/** Adds locations the installation does not have yet; returns the ids added. */
export async function addInstallationLocations(
  installationId: string,
  locations: readonly { id: string; name: string }[],
): Promise<{ added: string[] }> {
  if (locations.length === 0) return { added: [] };
  const existing = await db.installationLocation.findMany({
    where: { installationId },
    select: { locationId: true },
  });
  const known = new Set(existing.map((row) => row.locationId));
  const fresh = locations.filter((location) => !known.has(location.id));
  if (fresh.length === 0) return { added: [] };
  await db.installationLocation.createMany({
    data: fresh.map((location) => ({ installationId, locationId: location.id, name: location.name })),
    skipDuplicates: true,
  });
  return { added: fresh.map((location) => location.id) };
}
