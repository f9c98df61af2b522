"use client";

import { useActionState } from "react";
import { Button } from "@/components/ui/button";
import { syncLocationNow } from "../actions";
import { useLiveLocation } from "./live-status";

/** "Sync now" for one location; the live progress takes over, and "Sync queued." goes once the run ended. */
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
  const [state, formAction, isPending] = useActionState(
    syncLocationNow.bind(null, installationId, locationId),
    null,
  );
  const isRunActive = useLiveLocation(locationId)?.progress?.group === "active";
  return (
    <form action={formAction} className="flex flex-wrap items-center gap-3">
      <Button type="submit" variant="secondary" disabled={isDisabled || isPending}>
        {isPending ? "Queuing…" : "Sync now"}
        <span className="sr-only">: {locationName}</span>
      </Button>
      <p role="status" className="text-sm">
        {state?.ok && isRunActive
          ? state.data.alreadyRunning
            ? "A sync is already under way."
            : "Sync queued."
          : null}
        {state && !state.ok ? <span className="text-red-700">{state.error}</span> : null}
      </p>
    </form>
  );
}
