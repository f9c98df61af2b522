import type { NamedLocation } from "@/lib/connect/location-names";

type Props = { orgName: string; orgSlug: string; locations: NamedLocation[]; isAllLocations: boolean };

/**
 * Which OfficeRnD organisation and locations this popup connects, shown first and large, so that a
 * Connect link someone else sent cannot be confirmed without seeing whose organisation it is.
 */
export function OrganisationSummary({ orgName, orgSlug, locations, isAllLocations }: Props) {
  return (
    <section aria-labelledby="organisation-heading" className="rounded-lg bg-white p-4 ring-1 ring-slate-200">
      <h2 id="organisation-heading" className="text-xs font-semibold uppercase tracking-wide text-slate-600">
        OfficeRnD organisation
      </h2>
      <p className="mt-1 text-lg font-bold leading-tight text-ink">{orgName}</p>
      <p className="text-sm text-slate-600">
        Slug <code className="rounded bg-slate-100 px-1 text-ink">{orgSlug}</code>
      </p>
      <h3 className="mt-3 text-sm font-semibold">
        {isAllLocations ? `All locations (${locations.length})` : `Locations (${locations.length})`}
      </h3>
      <ul
        aria-label="Locations to connect"
        className="mt-1 max-h-28 list-inside list-disc overflow-y-auto text-sm text-slate-700"
      >
        {locations.map((location) => (
          <li key={location.id}>{location.name}</li>
        ))}
      </ul>
    </section>
  );
}
