"use client";

import { signOut } from "next-auth/react";

/** "Not you? Sign out" inside the popup: back to the same page, which then offers sign-in. */
export function SignOutLink({ callbackUrl }: { callbackUrl: string }) {
  return (
    <button
      type="button"
      onClick={() => void signOut({ callbackUrl })}
      className="font-semibold text-brand-700 underline underline-offset-2 hover:text-brand-600"
    >
      Sign out
    </button>
  );
}
