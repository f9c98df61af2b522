"use client";

import { useActionState, useId } from "react";
import { Button, buttonClass } from "@/components/ui/button";
import { errorId, FieldError } from "@/components/ui/field";
import { disconnect } from "../actions";

/** Disconnect behind a checkbox the server requires, so the confirmation holds without JavaScript too. */
export function DisconnectForm({ installationId, orgName }: { installationId: string; orgName: string }) {
  const [state, formAction, isPending] = useActionState(disconnect.bind(null, installationId), null);
  const id = useId();
  const confirmErrors = state && !state.ok ? state.fieldErrors.confirm : undefined;

  if (state?.ok) {
    return (
      <div role="status" className="space-y-3 text-sm" data-testid="disconnected">
        <p>
          Disconnected from {orgName}. Syncing has stopped, our webhooks were removed
          {state.data.remoteWebhooksFailed > 0
            ? ` (${state.data.remoteWebhooksFailed} could not be removed at OfficeRnD)`
            : ""}{" "}
          and the access tokens were deleted.
        </p>
        <a href={state.data.returnUrl} className={buttonClass("primary")}>
          Return to OfficeRnD
        </a>
      </div>
    );
  }
  return (
    <form action={formAction} className="space-y-3">
      <p className="text-sm text-slate-600">
        Disconnecting removes our webhook subscriptions at OfficeRnD, deletes the access tokens and stops
        every sync. Data already synced and the audit log are kept.
      </p>
      <div>
        <label className="flex items-start gap-2 text-sm">
          <input
            type="checkbox"
            name="confirm"
            className="mt-0.5 size-4 accent-red-600"
            aria-invalid={confirmErrors ? true : undefined}
            aria-describedby={confirmErrors ? errorId(`${id}-confirm`) : undefined}
          />
          <span>I understand that {orgName} will stop syncing with this account.</span>
        </label>
        <FieldError id={`${id}-confirm`} messages={confirmErrors} />
      </div>
      <div className="flex flex-wrap items-center gap-3">
        <Button type="submit" variant="danger" disabled={isPending}>
          {isPending ? "Disconnecting…" : "Disconnect"}
        </Button>
        {state && !state.ok && !confirmErrors ? (
          <p role="status" className="text-sm text-red-700">
            {state.error}
          </p>
        ) : null}
      </div>
    </form>
  );
}
