import type { Metadata } from "next";
import { failureText, isFailureReason } from "@/lib/connect/failures";
import { returnUrlFor } from "@/lib/connect/pending";
import { OutcomeView } from "../_components/outcome-view";

export const metadata: Metadata = { title: "Connect OfficeRnD", robots: { index: false } };

type Props = { searchParams: Promise<{ reason?: string | string[]; retryAfter?: string | string[] }> };

// A Connect popup that failed before a pending connection existed (e.g. OfficeRnD's link was malformed).
export default async function ConnectFailedPage({ searchParams }: Props) {
  const { reason, retryAfter } = await searchParams;
  const known = isFailureReason(reason) ? reason : "internal";
  // "OfficeRnD is busy, try again in N s": N from the token budget, bounded so a crafted link stays sane.
  const seconds = typeof retryAfter === "string" && /^\d{1,4}$/.test(retryAfter) ? Number(retryAfter) : null;
  // The organisation's region is unknown here, so the way back is OfficeRnD's main app.
  return <OutcomeView tone="problem" {...failureText(known, seconds)} returnUrl={returnUrlFor(null)} />;
}
