import { buttonClass } from "@/components/ui/button";
import { INPUT_CLASS, SelectField } from "@/components/ui/field";
import type { DirectoryQuery } from "@/lib/dashboard/directory-query";
import type { LocationName } from "@/lib/dashboard/list-account-locations";
import { statusLabel } from "@/lib/audit/audit-words";
import { MEMBER_STATUSES } from "@/lib/sync/location-settings";
const SORT_LABELS = { name: "Name A–Z", "-name": "Name Z–A", "-updated": "Recently updated" } as const;

/** Search, filters and sort as a GET form: every view of the directory is a shareable URL. */
export function DirectoryFilters({
  account,
  query,
  locations,
}: {
  account: string;
  query: DirectoryQuery;
  locations: LocationName[];
}) {
  // Statuses are OfficeRnD member statuses: the filter is offered for members only.
  const isMembers = query.kind === "members";
  return (
    <form
      method="get"
      action="/dashboard/directory"
      role="search"
      aria-label="Directory"
      className="grid gap-3 sm:grid-cols-2 lg:grid-cols-[1fr_2fr_1fr_1fr_1fr_auto] lg:items-end"
    >
      <input type="hidden" name="account" value={account} />
      <SelectField
        id="directory-kind"
        name="kind"
        label="Show"
        defaultValue={query.kind}
        options={[
          { value: "members", label: "Members" },
          { value: "companies", label: "Companies" },
        ]}
      />
      <div>
        <label htmlFor="directory-q" className="block text-sm font-medium">
          Search name or email
        </label>
        <input
          id="directory-q"
          name="q"
          type="search"
          defaultValue={query.q}
          maxLength={100}
          className={INPUT_CLASS}
        />
      </div>
      <SelectField
        id="directory-location"
        name="location"
        label="Location"
        defaultValue={query.locationId ?? ""}
        options={[
          { value: "", label: "All locations" },
          ...locations.map((location) => ({ value: location.locationId, label: location.name })),
        ]}
      />
      {isMembers ? (
        <SelectField
          id="directory-status"
          name="status"
          label="Member status"
          defaultValue={query.status ?? ""}
          options={[
            { value: "", label: "Any status" },
            ...MEMBER_STATUSES.map((status) => ({ value: status, label: statusLabel(status) })),
          ]}
        />
      ) : null}
      <SelectField
        id="directory-sort"
        name="sort"
        label="Sort"
        defaultValue={query.sort}
        options={Object.entries(SORT_LABELS).map(([value, label]) => ({ value, label }))}
      />
      <button type="submit" className={buttonClass("primary")}>
        Apply
      </button>
    </form>
  );
}
