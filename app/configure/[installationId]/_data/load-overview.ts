import "server-only";
import { db } from "@/lib/db";

// What the minimal configuration screen shows. Route-private: the full configuration screen will
// replace this with its own data access in lib/installations/.

export type ConfigureOverview = {
  accountName: string;
  orgName: string;
  orgSlug: string;
  status: "active" | "reconnect_required" | "removed";
  syncEnabled: boolean;
  isAllLocations: boolean;
  locations: { id: string; name: string }[];
};

/** Only call after the configure session was checked for this installation id. */
export async function loadConfigureOverview(installationId: string): Promise<ConfigureOverview | null> {
  const row = await db.installation.findUnique({
    where: { id: installationId },
    select: {
      orgName: true,
      orgSlug: true,
      status: true,
      syncEnabled: true,
      locationsKey: true,
      account: { select: { name: true } },
      locations: { select: { locationId: true, name: true }, orderBy: { name: "asc" } },
    },
  });
  if (!row) return null;
  return {
    accountName: row.account.name,
    orgName: row.orgName,
    orgSlug: row.orgSlug,
    status: row.status,
    syncEnabled: row.syncEnabled,
    isAllLocations: row.locationsKey === "",
    locations: row.locations.map((location) => ({ id: location.locationId, name: location.name })),
  };
}
