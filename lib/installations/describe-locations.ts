// Pure: which locations an installation covers, in words, so two instances of the integration in one
// organisation can be told apart (configuration header, dashboard card title, the Sync line).

const MAX_NAMED = 3;

/** "All locations", "Shoreditch", "Shoreditch, Soho and Camden", "Shoreditch, Soho and 3 more". */
export function describeLocations({
  coversAll,
  names,
}: {
  coversAll: boolean;
  names: readonly string[];
}): string {
  if (coversAll) return "All locations";
  return listNames(names, "no locations");
}

/** Where sync is on: "On for Shoreditch", "On for all 4 locations", "Off". */
export function describeSyncScope({
  installationSyncEnabled,
  isRemoved,
  locations,
}: {
  installationSyncEnabled: boolean;
  isRemoved: boolean;
  locations: readonly { name: string; isSyncing: boolean }[];
}): string {
  if (isRemoved) return "Off: the integration is disconnected";
  const syncing = locations.filter((location) => location.isSyncing).map((location) => location.name);
  if (!installationSyncEnabled || syncing.length === 0) return "Off for every location";
  if (syncing.length === locations.length && locations.length > 1)
    return `On for all ${locations.length} locations`;
  return `On for ${listNames(syncing, "")}`;
}

function listNames(names: readonly string[], empty: string): string {
  if (names.length === 0) return empty;
  if (names.length === 1) return names[0]!;
  if (names.length <= MAX_NAMED) return `${names.slice(0, -1).join(", ")} and ${names[names.length - 1]}`;
  return `${names.slice(0, MAX_NAMED - 1).join(", ")} and ${names.length - (MAX_NAMED - 1)} more`;
}
