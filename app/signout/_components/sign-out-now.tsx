"use client";

import Link from "next/link";
import { signOut } from "next-auth/react";
import { useEffect, useRef } from "react";
import { Button } from "@/components/ui/button";

export function SignOutNow({
  isSignedIn,
  isAutomatic,
  callbackUrl,
}: {
  isSignedIn: boolean;
  isAutomatic: boolean;
  callbackUrl: string;
}) {
  const hasStarted = useRef(false);
  useEffect(() => {
    if (!isSignedIn || !isAutomatic || hasStarted.current) return;
    hasStarted.current = true;
    void signOut({ callbackUrl });
  }, [isSignedIn, isAutomatic, callbackUrl]);

  if (!isSignedIn) {
    return (
      <p className="mt-4 text-sm text-slate-600">
        <Link href="/signin" className="font-semibold text-brand-700 underline underline-offset-2">
          Sign in again
        </Link>
      </p>
    );
  }
  if (isAutomatic)
    return (
      <p className="mt-4 text-sm text-slate-600" role="status">
        One moment…
      </p>
    );
  return (
    <Button type="button" className="mt-4 self-start" onClick={() => void signOut({ callbackUrl })}>
      Sign out
    </Button>
  );
}
