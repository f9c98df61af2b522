"use client";

import { useRef, useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";

type Account = { id: string; name: string; role: string };

type Props = {
  action: string;
  orgName: string;
  locationsText: string;
  accounts: Account[];
  defaultAccountId: string;
  currentAccountName: string | null;
};

/**
 * Connect / Cancel. A plain HTML form posting to the complete route (works without JavaScript); the
 * script only names the chosen account in the summary and blocks a double submit.
 */
export function ConfirmForm({
  action,
  orgName,
  locationsText,
  accounts,
  defaultAccountId,
  currentAccountName,
}: Props) {
  const [accountId, setAccountId] = useState(defaultAccountId);
  const [submitting, setSubmitting] = useState<"connect" | "cancel" | null>(null);
  const isSubmitted = useRef(false);
  const accountName = accounts.find((account) => account.id === accountId)?.name ?? "";

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    if (isSubmitted.current) return event.preventDefault();
    isSubmitted.current = true;
    const submitter = (event.nativeEvent as SubmitEvent).submitter as HTMLButtonElement | null;
    setSubmitting(submitter?.value === "cancel" ? "cancel" : "connect");
  }

  return (
    <form method="post" action={action} onSubmit={onSubmit} className="flex flex-col gap-5">
      {accounts.length > 1 ? (
        <fieldset className="rounded-lg bg-white p-4 ring-1 ring-slate-200">
          <legend className="px-1 text-sm font-semibold">Connect to which account?</legend>
          <div className="mt-1 flex flex-col gap-2">
            {accounts.map((account) => (
              <label
                key={account.id}
                className="flex cursor-pointer items-center gap-3 rounded-md px-2 py-2 hover:bg-slate-50 has-[:checked]:bg-brand-50"
              >
                <input
                  type="radio"
                  name="accountId"
                  value={account.id}
                  checked={account.id === accountId}
                  onChange={() => setAccountId(account.id)}
                  className="h-4 w-4 accent-brand-600"
                />
                <span className="text-sm">
                  {account.name} <span className="text-slate-600">({account.role})</span>
                </span>
              </label>
            ))}
          </div>
        </fieldset>
      ) : (
        <input type="hidden" name="accountId" value={accountId} />
      )}
      <p id="connect-summary" className="rounded-md bg-brand-50 p-3 text-sm text-ink ring-1 ring-brand-100">
        Connect OfficeRnD organisation <strong>{orgName}</strong> ({locationsText}) to account{" "}
        <strong>{accountName}</strong>.
      </p>
      {currentAccountName ? (
        <p className="text-sm text-slate-600">
          This integration is already connected to <strong>{currentAccountName}</strong>. Connecting again
          replaces that connection; nothing is duplicated.
        </p>
      ) : null}
      <div className="flex gap-3">
        <Button
          type="submit"
          name="intent"
          value="connect"
          aria-describedby="connect-summary"
          className="flex-1"
        >
          {submitting === "connect" ? "Connecting…" : `Connect ${orgName}`}
        </Button>
        <Button type="submit" name="intent" value="cancel" variant="secondary">
          {submitting === "cancel" ? "Cancelling…" : "Cancel"}
        </Button>
      </div>
    </form>
  );
}
