"use client";

import { useActionState } from "react";
import { Button } from "@/components/ui/button";
import { syncLocationNow } from "../actions";

/** "Sync now" for one location; the page refreshes on success and the progress bar takes over. */
export function SyncNowForm({
  installationId,
  locationId,
  locationName,
  isDisabled,
}: {
  installationId: string;
  locationId: string;
  locationName: string;
  isDisabled: boolean;
}) {
  const [state, formAction, isPending] = useActionState(syncLocationNow.bind(null, installationId, locationId), null);
  return (
    <form action={formAction} className="flex flex-wrap items-center gap-3">
      <Button type="submit" variant="secondary" disabled={isDisabled || isPending}>
        {isPending ? "Queuing…" : "Sync now"}
        <span className="sr-only">: {locationName}</span>
      </Button>
      <p role="status" className="text-sm">
        {state?.ok ? (state.data.alreadyRunning ? "A sync is already under way." : "Sync queued.") : null}
        {state && !state.ok ? <span className="text-red-700">{state.error}</span> : null}
      </p>
    </form>
  );
}
