import type { Metadata } from "next";
import { headers } from "next/headers";
import { getSessionUser } from "@/lib/auth/session";
import { safeCallback } from "@/lib/auth/safe-callback";
import { SignOutNow } from "./_components/sign-out-now";

export const metadata: Metadata = { title: "Sign out", robots: { index: false } };

type Props = { searchParams: Promise<{ callbackUrl?: string | string[] }> };

// next-auth's sign-out page (pages.signOut): ours, in our layout, with no "Are you sure?" step. A
// navigation from our own pages signs out at once; one started on another site gets a button, so
// a foreign page cannot sign anyone out behind their back.
export default async function SignOutPage({ searchParams }: Props) {
  const callbackUrl = safeCallback((await searchParams).callbackUrl, "/signin?signedOut=1");
  const user = await getSessionUser();
  const site = (await headers()).get("sec-fetch-site");
  const isOwnNavigation = site === null || site === "same-origin" || site === "none";
  return (
    <main className="mx-auto flex min-h-screen max-w-sm flex-col justify-center px-6 py-10">
      <p className="text-xs font-semibold uppercase tracking-wide text-brand-600">Partner for OfficeRnD</p>
      <h1 className="mt-2 text-2xl font-bold">{user ? "Signing you out" : "You are signed out"}</h1>
      <SignOutNow isSignedIn={user !== null} isAutomatic={isOwnNavigation} callbackUrl={callbackUrl} />
    </main>
  );
}
