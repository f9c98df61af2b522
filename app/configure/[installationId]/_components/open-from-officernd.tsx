import Link from "next/link";
import { buttonClass } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { getSessionUser } from "@/lib/auth/session";
import { env } from "@/lib/env";

/**
 * Shown without a usable session: what happened and the way back. OfficeRnD's signed link is the
 * way in for admins; a partner user who is already signed in is sent to the dashboard, never asked
 * to sign in again.
 */
export async function OpenFromOfficeRnd({
  title,
  text,
  signInPath,
}: {
  title: string;
  text: string;
  signInPath?: string;
}) {
  const user = await getSessionUser();
  return (
    <main className="mx-auto max-w-md px-4 py-10">
      <p className="text-xs font-semibold uppercase tracking-wide text-brand-600">
        Partner for OfficeRnD · Configuration
      </p>
      <Card className="mt-2">
        <h1 className="text-lg font-semibold">{title}</h1>
        <p className="mt-2 text-sm text-slate-600">{text}</p>
        <div className="mt-4 flex flex-wrap gap-3">
          <a href={env().OFFICERND_APP_URL} className={buttonClass("primary")}>
            Return to OfficeRnD
          </a>
          {user ? (
            <Link href="/dashboard" className={buttonClass("secondary")}>
              Go to your dashboard
            </Link>
          ) : null}
        </div>
        {user ? (
          <p className="mt-3 text-sm text-slate-600">Signed in as {user.email}.</p>
        ) : signInPath ? (
          <p className="mt-3 text-sm">
            Partner user?{" "}
            <Link
              href={`/signin?callbackUrl=${encodeURIComponent(signInPath)}`}
              className="font-semibold text-brand-700 underline"
            >
              Sign in
            </Link>
          </p>
        ) : null}
      </Card>
    </main>
  );
}
