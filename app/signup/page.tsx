import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { safeCallback } from "@/lib/auth/safe-callback";
import { SignUpForm } from "@/components/auth/sign-up-form";
import { SwitchFormLink } from "@/components/auth/switch-form-link";

export const metadata: Metadata = { title: "Create an account" };

type Props = { searchParams: Promise<{ callbackUrl?: string | string[] }> };

const CONNECT_POPUP = /^\/connect\/([0-9a-f-]{36})$/i;

export default async function SignUpPage({ searchParams }: Props) {
  const callbackUrl = safeCallback((await searchParams).callbackUrl);
  // Inside OfficeRnD's Connect popup, sign-up happens on the popup's own page, which keeps its context.
  const popup = CONNECT_POPUP.exec(callbackUrl);
  if (popup) redirect(`/connect/${popup[1]}?step=signup`);
  const signInHref = `/signin?callbackUrl=${encodeURIComponent(callbackUrl)}`;
  return (
    <main className="mx-auto flex min-h-screen max-w-sm flex-col justify-center px-6 py-10">
      <h1 className="text-2xl font-bold">Create an account</h1>
      <p className="mt-1 text-sm text-slate-600">You become the owner of a new partner account.</p>
      <SignUpForm callbackUrl={callbackUrl} signInHref={signInHref} />
      <SwitchFormLink
        question="Already have an account?"
        href={signInHref}
        label="Sign in instead."
        className="mt-6 text-sm text-slate-600"
      />
    </main>
  );
}
