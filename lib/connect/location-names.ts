// Pure: the locations a connection covers, with names for the confirmation screen and the
// InstallationLocation rows. `requested` empty means every location of the organisation.

export type NamedLocation = { id: string; name: string };

/** The connected locations with their names, ordered by name as the admin reads them. */
export function resolveLocationNames({
  requested,
  known,
}: {
  requested: readonly string[];
  known: readonly NamedLocation[] | null;
}): NamedLocation[] {
  const names = new Map((known ?? []).map((location) => [location.id, location.name]));
  // A location OfficeRnD did not list (or a list we could not fetch) still connects, under its id.
  const locations =
    requested.length === 0 ? [...(known ?? [])] : requested.map((id) => ({ id, name: names.get(id) || id }));
  return locations.sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
}

/** "Acme Shoreditch, Acme Manchester and 2 more", for headings that must stay short in the popup. */
export function describeLocations(
  locations: readonly NamedLocation[],
  { isAll, max = 3 }: { isAll: boolean; max?: number },
): string {
  if (isAll) return "all locations";
  if (locations.length === 0) return "no locations";
  const names = locations.map((location) => location.name);
  if (names.length <= max)
    return names.length === 1 ? names[0]! : `${names.slice(0, -1).join(", ")} and ${names.at(-1)}`;
  return `${names.slice(0, max).join(", ")} and ${names.length - max} more`;
}
