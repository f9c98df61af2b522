import { buttonClass } from "@/components/ui/button";
import { INPUT_CLASS } from "@/components/ui/field";
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
      <div>
        <label htmlFor="directory-kind" className="block text-sm font-medium">
          Show
        </label>
        <select id="directory-kind" name="kind" defaultValue={query.kind} className={INPUT_CLASS}>
          <option value="members">Members</option>
          <option value="companies">Companies</option>
        </select>
      </div>
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
      <div>
        <label htmlFor="directory-location" className="block text-sm font-medium">
          Location
        </label>
        <select
          id="directory-location"
          name="location"
          defaultValue={query.locationId ?? ""}
          className={INPUT_CLASS}
        >
          <option value="">All locations</option>
          {locations.map((location) => (
            <option key={location.locationId} value={location.locationId}>
              {location.name}
            </option>
          ))}
        </select>
      </div>
      {isMembers ? (
        <div>
          <label htmlFor="directory-status" className="block text-sm font-medium">
            Member status
          </label>
          <select
            id="directory-status"
            name="status"
            defaultValue={query.status ?? ""}
            className={INPUT_CLASS}
          >
            <option value="">Any status</option>
            {MEMBER_STATUSES.map((status) => (
              <option key={status} value={status}>
                {statusLabel(status)}
              </option>
            ))}
          </select>
        </div>
      ) : null}
      <div>
        <label htmlFor="directory-sort" className="block text-sm font-medium">
          Sort
        </label>
        <select id="directory-sort" name="sort" defaultValue={query.sort} className={INPUT_CLASS}>
          {Object.entries(SORT_LABELS).map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
      </div>
      <button type="submit" className={buttonClass("primary")}>
        Apply
      </button>
    </form>
  );
}
