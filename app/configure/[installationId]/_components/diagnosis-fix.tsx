"use client";

import { useActionState } from "react";
import { Button } from "@/components/ui/button";
import { recreateWebhooksAction, retrySyncAction } from "./diagnosis-actions";

const LABELS = {
  retry_sync: ["Retry sync", "Queuing…"],
  recreate_webhooks: ["Recreate webhooks", "Recreating…"],
} as const;

/** One click on the diagnosis banner: Retry sync or Recreate webhooks; the page refreshes on success. */
export function DiagnosisFix({
  installationId,
  fix,
}: {
  installationId: string;
  fix: "retry_sync" | "recreate_webhooks";
}) {
  const action = fix === "retry_sync" ? retrySyncAction : recreateWebhooksAction;
  const [state, formAction, isPending] = useActionState(action.bind(null, installationId), null);
  const [label, pending] = LABELS[fix];
  return (
    <form action={formAction} className="mt-3 flex flex-wrap items-center gap-3">
      <Button type="submit" disabled={isPending}>
        {isPending ? pending : label}
      </Button>
      <p role="status" className="text-sm">
        {state?.ok ? state.data.detail : null}
        {state && !state.ok ? <span className="text-red-800">{state.error}</span> : null}
      </p>
    </form>
  );
}
