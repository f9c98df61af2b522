import type { Metadata } from "next";
import { parseDirectoryQuery } from "@/lib/dashboard/directory-query";
import { listDirectory } from "@/lib/dashboard/list-directory";
import { DashboardShell } from "../_components/dashboard-shell";
import { DirectoryFilters } from "../_components/directory-filters";
import { DirectoryTable } from "../_components/directory-table";
import { loadDashboard, type SearchParams } from "../_components/load-dashboard";

export const metadata: Metadata = { title: "Directory" };

export default async function DirectoryPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const params = await searchParams;
  const context = await loadDashboard(params, "/dashboard/directory");
  const account = context.scope?.current.id;
  const query = parseDirectoryQuery(params);
  const page = account ? await listDirectory({ userId: context.user.id, accountId: account, query }) : null;
  return (
    <DashboardShell context={context} path="/dashboard/directory" title="Directory">
      {account && page ? (
        <>
          <DirectoryFilters account={account} query={query} locations={page.locations} />
          <DirectoryTable account={account} query={query} page={page} now={new Date()} />
        </>
      ) : null}
    </DashboardShell>
  );
}
