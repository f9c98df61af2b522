import type { Metadata } from "next";
import { AccountRefusedCalls } from "@/components/officernd/refused-calls";
import { listInstallations } from "@/lib/dashboard/list-installations";
import { DashboardShell } from "./_components/dashboard-shell";
import { InstallationsList } from "./_components/installations-list";
import { loadDashboard, type SearchParams } from "./_components/load-dashboard";

export const metadata: Metadata = { title: "Dashboard" };

export default async function DashboardPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const context = await loadDashboard(await searchParams, "/dashboard");
  const installations = context.scope
    ? await listInstallations({ userId: context.user.id, accountId: context.scope.current.id })
    : [];
  return (
    <DashboardShell context={context} path="/dashboard" title="Installations">
      <InstallationsList installations={installations} now={new Date()} />
      {context.scope ? (
        <AccountRefusedCalls userId={context.user.id} accountId={context.scope.current.id} />
      ) : null}
    </DashboardShell>
  );
}
