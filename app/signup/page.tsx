import type { Metadata } from "next";
import Link from "next/link";
import { safeCallback } from "../signin/_components/safe-callback";
import { SignUpForm } from "./_components/sign-up-form";

export const metadata: Metadata = { title: "Create an account" };

type Props = { searchParams: Promise<{ callbackUrl?: string | string[] }> };

export default async function SignUpPage({ searchParams }: Props) {
  const callbackUrl = safeCallback((await searchParams).callbackUrl);
  return (
    <main className="mx-auto flex min-h-screen max-w-sm flex-col justify-center px-6 py-10">
      <h1 className="text-2xl font-bold">Create an account</h1>
      <p className="mt-1 text-sm text-slate-600">You become the owner of a new partner account.</p>
      <SignUpForm callbackUrl={callbackUrl} />
      <p className="mt-6 text-sm text-slate-600">
        Already have an account?{" "}
        <Link href={`/signin?callbackUrl=${encodeURIComponent(callbackUrl)}`} className="font-semibold text-brand-700 underline underline-offset-2">
          Sign in
        </Link>
      </p>
    </main>
  );
}
