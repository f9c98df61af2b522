import type { Metadata } from "next";
import { SwitchFormLink } from "@/components/auth/switch-form-link";
import { safeCallback } from "@/lib/auth/safe-callback";
import { signInErrorMessage } from "@/lib/auth/sign-in-error";
import { AfterSignUpNote } from "@/components/auth/after-sign-up-note";
import { SignInForm } from "@/components/auth/sign-in-form";

export const metadata: Metadata = { title: "Sign in" };

type Props = {
  searchParams: Promise<{
    callbackUrl?: string | string[];
    after?: string | string[];
    signedOut?: string | string[];
    error?: string | string[];
  }>;
};

export default async function SignInPage({ searchParams }: Props) {
  const query = await searchParams;
  const callbackUrl = safeCallback(query.callbackUrl);
  const isConnecting = callbackUrl.startsWith("/connect/");
  return (
    <main className="mx-auto flex min-h-screen max-w-sm flex-col justify-center px-6 py-10">
      <h1 className="text-2xl font-bold">Sign in</h1>
      <p className="mt-1 text-sm text-slate-600">
        {isConnecting ? "to your partner account to finish connecting OfficeRnD" : "to your partner account"}
      </p>
      {query.signedOut === "1" ? (
        <p
          role="status"
          className="mt-4 rounded-md bg-emerald-50 p-3 text-sm text-emerald-900 ring-1 ring-emerald-200"
        >
          You are signed out.
        </p>
      ) : null}
      {typeof query.error === "string" ? (
        <p role="alert" className="mt-4 rounded-md bg-red-50 p-3 text-sm text-red-700">
          {signInErrorMessage(query.error)}
        </p>
      ) : null}
      {query.after === "signup" ? <AfterSignUpNote /> : null}
      <SignInForm callbackUrl={callbackUrl} />
      <SwitchFormLink
        question="No account yet?"
        href={`/signup?callbackUrl=${encodeURIComponent(callbackUrl)}`}
        label="Create one"
        className="mt-6 text-sm text-slate-600"
      />
    </main>
  );
}
