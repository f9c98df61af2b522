import Link from "next/link";
import type { ReactNode } from "react";
import { Card } from "@/components/ui/card";
import type { DashboardContext } from "./load-dashboard";
import { AccountSwitcher } from "./account-switcher";

const TABS = [
  { path: "/dashboard", label: "Installations" },
  { path: "/dashboard/directory", label: "Directory" },
  { path: "/dashboard/history", label: "Sync history" },
  { path: "/dashboard/audit", label: "Audit log" },
] as const;

/** Header, account switcher and section tabs around every dashboard page. */
export function DashboardShell({
  context,
  path,
  title,
  children,
}: {
  context: DashboardContext;
  path: string;
  title: string;
  children: ReactNode;
}) {
  const { user, scope } = context;
  const account = scope?.current.id;
  return (
    <div className="mx-auto max-w-6xl px-4 py-6 sm:px-6 sm:py-8">
      <header className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <p className="text-sm font-semibold uppercase tracking-wide text-brand-700">
            <Link href="/">Partner for OfficeRnD</Link>
          </p>
          <h1 className="mt-1 text-2xl font-bold">Dashboard</h1>
          <p className="mt-1 text-sm text-slate-600">
            Signed in as {user.email} ·{" "}
            {/* eslint-disable-next-line @next/next/no-html-link-for-pages -- next-auth's sign-out page is a route handler, not an app page */}
            <a href="/api/auth/signout" className="underline">
              Sign out
            </a>
          </p>
        </div>
        {scope && scope.accounts.length > 1 ? (
          <AccountSwitcher accounts={scope.accounts} currentId={scope.current.id} path={path} />
        ) : null}
      </header>
      {scope ? (
        <nav aria-label="Dashboard sections" className="mt-6 border-b border-slate-200">
          <ul className="-mb-px flex gap-1 overflow-x-auto text-sm">
            {TABS.map((tab) => {
              const isCurrent = tab.path === path;
              return (
                <li key={tab.path}>
                  <Link
                    href={`${tab.path}?account=${encodeURIComponent(account ?? "")}`}
                    aria-current={isCurrent ? "page" : undefined}
                    className={`block whitespace-nowrap border-b-2 px-3 py-2 font-medium ${isCurrent ? "border-brand-600 text-brand-700" : "border-transparent text-slate-600 hover:text-ink"}`}
                  >
                    {tab.label}
                  </Link>
                </li>
              );
            })}
          </ul>
        </nav>
      ) : null}
      <main className="mt-6 space-y-6">
        <h2 className="sr-only">{title}</h2>
        {context.isForbidden ? (
          <Card title="No access to this account">
            <p className="text-sm text-slate-600">
              You are not a member of the account in this link.{" "}
              <Link href={path} className="underline">
                Show my accounts
              </Link>
              .
            </p>
          </Card>
        ) : scope ? (
          children
        ) : (
          <Card title="No account yet">
            <p className="text-sm text-slate-600">
              You are not a member of any partner account. Ask an account owner to add you.
            </p>
          </Card>
        )}
      </main>
    </div>
  );
}
