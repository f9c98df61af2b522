"use client";

import { useActionState } from "react";
import { Button } from "@/components/ui/button";
import { resolveReview } from "../review-actions";

/** "Apply deletions" / "Keep records" for one held pass; both are audited on the server. */
export function DeletionReviewForm({
  installationId,
  runId,
  total,
  locationName,
}: {
  installationId: string;
  runId: string;
  total: number;
  locationName: string;
}) {
  const [state, formAction, isPending] = useActionState(
    resolveReview.bind(null, installationId, runId),
    null,
  );
  return (
    <form action={formAction} className="mt-3 flex flex-wrap items-center gap-3">
      <Button type="submit" name="decision" value="apply" variant="danger" disabled={isPending}>
        Apply deletions ({total})<span className="sr-only">: {locationName}</span>
      </Button>
      <Button type="submit" name="decision" value="keep" variant="secondary" disabled={isPending}>
        Keep records<span className="sr-only">: {locationName}</span>
      </Button>
      <p role="status" className="text-sm">
        {state?.ok
          ? state.data.decision === "apply"
            ? `${state.data.deleted} records deleted.`
            : "Records kept."
          : null}
        {state && !state.ok ? <span className="text-red-700">{state.error}</span> : null}
      </p>
    </form>
  );
}
