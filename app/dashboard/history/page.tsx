import type { Metadata } from "next";
import { RecordsChart } from "@/components/officernd/records-chart";
import { RunsTable } from "@/components/officernd/runs-table";
import { Card } from "@/components/ui/card";
import { getSyncHistory } from "@/lib/dashboard/sync-history";
import { DashboardShell } from "../_components/dashboard-shell";
import { loadDashboard, type SearchParams } from "../_components/load-dashboard";

export const metadata: Metadata = { title: "Sync history" };

export default async function HistoryPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const context = await loadDashboard(await searchParams, "/dashboard/history");
  const account = context.scope?.current.id;
  const history = account ? await getSyncHistory({ userId: context.user.id, accountId: account }) : null;
  const now = new Date();
  return (
    <DashboardShell context={context} path="/dashboard/history" title="Sync history">
      {history ? (
        <>
          <Card title="Records synced per day">
            <RecordsChart days={history.days} title="Records synced per day" />
          </Card>
          <Card title="Latest runs">
            <RunsTable
              label="Latest sync runs"
              now={now}
              runs={history.runs.map((run) => ({
                ...run,
                where: run.locationName
                  ? `${run.orgName} · ${run.locationName}`
                  : `${run.orgName} · all locations`,
              }))}
            />
          </Card>
        </>
      ) : null}
    </DashboardShell>
  );
}
