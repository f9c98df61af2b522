import type { Metadata } from "next";
import Link from "next/link";
import { safeCallback } from "./_components/safe-callback";
import { SignInForm } from "./_components/sign-in-form";

export const metadata: Metadata = { title: "Sign in" };

type Props = { searchParams: Promise<{ callbackUrl?: string | string[] }> };

export default async function SignInPage({ searchParams }: Props) {
  const callbackUrl = safeCallback((await searchParams).callbackUrl);
  const isConnecting = callbackUrl.startsWith("/connect/");
  return (
    <main className="mx-auto flex min-h-screen max-w-sm flex-col justify-center px-6 py-10">
      <h1 className="text-2xl font-bold">Sign in</h1>
      <p className="mt-1 text-sm text-slate-600">{isConnecting ? "to your partner account to finish connecting OfficeRnD" : "to your partner account"}</p>
      <SignInForm callbackUrl={callbackUrl} />
      <p className="mt-6 text-sm text-slate-600">
        No account yet?{" "}
        <Link href={`/signup?callbackUrl=${encodeURIComponent(callbackUrl)}`} className="font-semibold text-brand-700 underline underline-offset-2">
          Create one
        </Link>
      </p>
    </main>
  );
}
