import Link from "next/link";
import { buttonClass } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { getSessionUser } from "@/lib/auth/session";

export default async function HomePage() {
  const user = await getSessionUser();
  return (
    <main className="mx-auto max-w-3xl px-6 py-12">
      <p className="text-sm font-semibold uppercase tracking-wide text-brand-600">
        OfficeRnD partner integration
      </p>
      <h1 className="mt-2 text-3xl font-bold">Partner for OfficeRnD</h1>
      <p className="mt-4 text-lg text-slate-600">
        Connect an OfficeRnD organisation to your account, choose what each location shares, and keep its
        members, companies and locations in sync.
      </p>
      <div className="mt-8 flex flex-wrap gap-3">
        {user ? (
          <>
            <Link href="/dashboard" className={buttonClass("primary")}>
              Open dashboard
            </Link>
            <p className="self-center text-sm text-slate-600">Signed in as {user.email}</p>
          </>
        ) : (
          <Link href="/signin" className={buttonClass("primary")}>
            Sign in
          </Link>
        )}
      </div>
      <div className="mt-12 grid gap-4 sm:grid-cols-3">
        <Card title="Connect">
          Admins click Connect in OfficeRnD; this app signs them in and links the organisation to their
          account.
        </Card>
        <Card title="Configure">
          Each connected location gets its own settings: what to sync, which members count, and how fields
          map.
        </Card>
        <Card title="Sync">
          Members and companies flow in through OfficeRnD&apos;s API and webhooks, incrementally and
          resumably.
        </Card>
      </div>
    </main>
  );
}
