import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { RelativeTime } from "@/components/ui/relative-time";
import { TABLE_CLASS, TableScroll } from "@/components/ui/table-scroll";
import { formatCount } from "@/lib/format";
import { statusLabel } from "@/lib/audit/audit-words";
import { directoryHref, type DirectoryQuery } from "@/lib/dashboard/directory-query";
import type { DirectoryPage } from "@/lib/dashboard/list-directory";

export function DirectoryTable({
  account,
  query,
  page,
  now,
}: {
  account: string;
  query: DirectoryQuery;
  page: DirectoryPage;
  now: Date;
}) {
  const noun = query.kind === "members" ? "members" : "companies";
  const base = { account, path: "/dashboard/directory" };
  const filters = {
    kind: query.kind,
    q: query.q,
    sort: query.sort,
    locationId: query.locationId,
    status: query.status,
  };
  return (
    <section aria-labelledby="directory-results">
      <h3 id="directory-results" className="text-base font-semibold" aria-live="polite">
        {formatCount(page.total)} {noun}
        {query.q ? ` matching “${query.q}”` : ""}
      </h3>
      {page.rows.length === 0 ? (
        <p className="mt-3 text-sm text-slate-600">
          {page.total === 0 && !query.q && !query.locationId && !query.status
            ? `No ${noun} synced yet. Turn sync on for a location in its configuration.`
            : `No ${noun} match these filters.`}
        </p>
      ) : (
        <div className="mt-3 rounded-lg bg-white p-3 shadow-sm ring-1 ring-slate-200">
          <TableScroll label={`Synced ${noun}`}>
            <table className={TABLE_CLASS} data-testid="directory-table">
              <caption className="sr-only">Synced {noun}</caption>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Email</th>
                  {query.kind === "members" ? <th scope="col">Company</th> : null}
                  <th scope="col">Tags</th>
                  <th scope="col">Location</th>
                  <th scope="col">Status</th>
                  <th scope="col">Organisation</th>
                  <th scope="col">Updated</th>
                </tr>
              </thead>
              <tbody>
                {page.rows.map((row) => (
                  <tr key={`${row.installationId}/${row.remoteId}`}>
                    <td className="font-medium">{row.name}</td>
                    <td className="break-all">{row.email ?? "—"}</td>
                    {query.kind === "members" ? <td>{row.companyName ?? "—"}</td> : null}
                    <td>{row.tags.length > 0 ? row.tags.join(", ") : "—"}</td>
                    <td>{row.locationName ?? row.locationId ?? "—"}</td>
                    <td>
                      {row.status ? (
                        <Badge tone={row.status === "active" ? "good" : "neutral"}>
                          {statusLabel(row.status)}
                        </Badge>
                      ) : (
                        "—"
                      )}
                    </td>
                    <td>
                      {row.orgName}
                      {row.isDisconnected ? (
                        <span className="block text-xs text-slate-600">disconnected, kept</span>
                      ) : null}
                    </td>
                    <td className="whitespace-nowrap">
                      <RelativeTime date={row.updatedAt} now={now} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
        </div>
      )}
      <nav aria-label="Directory pages" className="mt-3 flex flex-wrap items-center gap-3 text-sm">
        {page.rows.length > 0 ? (
          <span data-testid="page-position" className="tabular-nums text-slate-700">
            {formatCount(page.firstPosition)}–{formatCount(page.firstPosition + page.rows.length - 1)} of{" "}
            {formatCount(page.total)}
          </span>
        ) : null}
        {page.previous ? (
          <Link
            href={directoryHref(base, { ...filters, before: page.previous })}
            className="font-semibold text-brand-700 underline"
            rel="prev"
          >
            ← Previous
          </Link>
        ) : null}
        {page.next ? (
          <Link
            href={directoryHref(base, { ...filters, after: page.next })}
            className="font-semibold text-brand-700 underline"
            rel="next"
          >
            Next →
          </Link>
        ) : null}
      </nav>
    </section>
  );
}
