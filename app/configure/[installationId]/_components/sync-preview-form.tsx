"use client";

import { useActionState } from "react";
import { Button } from "@/components/ui/button";
import type { PreviewEntry } from "@/lib/configuration/preview-sync";
import { previewLocationSync } from "../review-actions";

/** "Preview sync" for one location: a full pass that writes nothing, and what it would change. */
export function SyncPreviewForm({
  installationId,
  locationId,
  locationName,
}: {
  installationId: string;
  locationId: string;
  locationName: string;
}) {
  const [state, formAction, isPending] = useActionState(
    previewLocationSync.bind(null, installationId, locationId),
    null,
  );
  const preview = state?.ok ? state.data : null;
  return (
    <form action={formAction} className="space-y-2" data-testid="sync-preview">
      <div className="flex flex-wrap items-center gap-3">
        <Button type="submit" variant="secondary" disabled={isPending}>
          {isPending ? "Reading OfficeRnD…" : "Preview sync"}
          <span className="sr-only">: {locationName}</span>
        </Button>
        <span className="text-sm text-slate-600">{locationName}</span>
      </div>
      <div role="status" className="text-sm">
        {state && !state.ok ? <p className="text-red-700">{state.error}</p> : null}
        {preview ? (
          <div className="rounded-md bg-slate-50 p-3 ring-1 ring-slate-200">
            <p>
              A sync now would create <strong>{preview.created}</strong>, update{" "}
              <strong>{preview.updated}</strong> and delete{" "}
              <strong>{preview.isComplete ? preview.deleted : "an unknown number of"}</strong> records (
              {preview.unchanged} unchanged, {preview.read} read).
            </p>
            {preview.wouldNeedReview ? (
              <p className="mt-1 font-medium text-amber-900">
                That is more than the safety limit: the sync would pause and ask before deleting.
              </p>
            ) : null}
            {!preview.isComplete ? (
              <p className="mt-1">
                The preview stopped at its page limit; deletions are only known after a complete pass.
              </p>
            ) : null}
            <Sample title="Would be deleted" entries={preview.samples.deleted} />
            <Sample title="Would be created" entries={preview.samples.created} />
            <Sample title="Would be updated" entries={preview.samples.updated} />
          </div>
        ) : null}
      </div>
    </form>
  );
}

function Sample({ title, entries }: { title: string; entries: PreviewEntry[] }) {
  if (entries.length === 0) return null;
  return (
    <div className="mt-2">
      <p className="font-medium">{title}</p>
      <ul className="list-disc pl-5">
        {entries.map((entry) => (
          <li key={`${entry.kind}:${entry.remoteId}`}>
            {entry.name || entry.remoteId}{" "}
            <span className="text-slate-600">({entry.kind.replace(/s$/, "")})</span>
          </li>
        ))}
      </ul>
    </div>
  );
}
