import type { Metadata } from "next";
import { FAILURES, isFailureReason } from "@/lib/connect/failures";
import { returnUrlFor } from "@/lib/connect/pending";
import { OutcomeView } from "../_components/outcome-view";

export const metadata: Metadata = { title: "Connect OfficeRnD", robots: { index: false } };

type Props = { searchParams: Promise<{ reason?: string | string[] }> };

// A Connect popup that failed before a pending connection existed (e.g. OfficeRnD's link was malformed).
export default async function ConnectFailedPage({ searchParams }: Props) {
  const { reason } = await searchParams;
  const known = isFailureReason(reason) ? reason : "internal";
  // The organisation's region is unknown here, so the way back is OfficeRnD's main app.
  return <OutcomeView tone="problem" {...FAILURES[known]} returnUrl={returnUrlFor(null)} />;
}
