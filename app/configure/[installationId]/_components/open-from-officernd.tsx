import Link from "next/link";
import { Card } from "@/components/ui/card";

/** Shown without a usable session: OfficeRnD's signed link, or a partner sign-in, is the way in. */
export function OpenFromOfficeRnd({ title, text, signInPath }: { title: string; text: string; signInPath?: string }) {
  return (
    <main className="mx-auto max-w-md px-4 py-10">
      <Card>
        <h1 className="text-lg font-semibold">{title}</h1>
        <p className="mt-2 text-sm text-slate-600">{text}</p>
        {signInPath ? (
          <p className="mt-3 text-sm">
            Partner user?{" "}
            <Link href={`/signin?callbackUrl=${encodeURIComponent(signInPath)}`} className="font-semibold text-brand-700 underline">
              Sign in
            </Link>
          </p>
        ) : null}
      </Card>
    </main>
  );
}
