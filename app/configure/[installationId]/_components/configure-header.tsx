"use client";

import type { ReactNode } from "react";
import { InstallationStatusBadge, TokenStateBadge } from "@/components/officernd/status-badges";
import { Badge } from "@/components/ui/badge";
import { RelativeTime } from "@/components/ui/relative-time";
import type { ConfigureViewer } from "@/lib/configuration/access";
import { toDate } from "@/lib/configuration/live-status";
import { useLive } from "./live-status";

/** Organisation, locations, partner account and health at a glance; `diagnosis` goes under the title. */
export function ConfigureHeader({ viewer, diagnosis }: { viewer: ConfigureViewer; diagnosis?: ReactNode }) {
  const { status, now, isStale } = useLive();
  const { installation, health } = status;
  const { webhooks } = health;
  const isRemoved = installation.status === "removed";
  const ending = installation.ending;
  return (
    <header
      className="rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200 sm:p-5"
      data-testid="configure-header"
    >
      <div className="flex flex-wrap items-start justify-between gap-2">
        <div className="min-w-0">
          <p className="text-xs font-semibold uppercase tracking-wide text-brand-700">
            OfficeRnD integration · configuration
          </p>
          <h1 className="mt-1 text-xl font-bold sm:text-2xl">
            <span data-testid="org-name">{installation.orgName}</span>
            <span className="sr-only"> · </span>
            <span className="block text-base font-semibold text-slate-700" data-testid="covered-locations">
              {installation.locationsLabel}
            </span>
          </h1>
          <p className="text-sm text-slate-600">
            <code className="text-xs">{installation.orgSlug}</code> ·{" "}
            {isRemoved ? "was connected to " : "connected to "}
            <strong data-testid="account-name">{installation.accountName}</strong>
          </p>
        </div>
        <InstallationStatusBadge status={installation.status} />
      </div>
      {diagnosis}
      <dl className="mt-4 grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1.5 text-sm" aria-label="Health">
        {isRemoved && ending ? (
          <>
            <dt className="text-slate-600">Ended</dt>
            <dd data-testid="ended-by">
              {ending.label} <RelativeTime date={toDate(ending.at)} now={now} />
            </dd>
          </>
        ) : null}
        <dt className="text-slate-600">OfficeRnD access</dt>
        <dd data-testid="token-state">
          <TokenStateBadge state={health.token} />
        </dd>
        <dt className="text-slate-600">Last healthcheck</dt>
        <dd>
          <RelativeTime date={toDate(health.lastHealthcheckAt)} now={now} />
        </dd>
        <dt className="text-slate-600">Last successful sync</dt>
        <dd data-testid="last-sync">
          <RelativeTime date={toDate(health.lastSuccessfulSyncAt)} now={now} />
        </dd>
        <dt className="text-slate-600">Webhooks</dt>
        <dd data-testid="webhook-state">
          {isRemoved ? (
            <Badge tone="neutral">Stopped</Badge>
          ) : !webhooks.isActive ? (
            <Badge tone="warn">Not subscribed</Badge>
          ) : (
            <>
              <Badge tone="good">Subscribed</Badge>{" "}
              <span className="text-slate-600">
                {webhooks.eventTypes.length} event types · last event{" "}
                <RelativeTime date={toDate(webhooks.lastEventAt)} now={now} />
                {webhooks.failedEvents > 0 ? ` · ${webhooks.failedEvents} failed` : ""}
              </span>
            </>
          )}
        </dd>
        <dt className="text-slate-600">Sync</dt>
        <dd data-testid="sync-scope">{installation.syncScope}</dd>
      </dl>
      <p className="mt-2 text-xs text-slate-600" data-testid="officernd-api">
        {health.officeRndApi}
      </p>
      <p className="mt-3 text-xs text-slate-600">
        {viewer.kind === "officernd-admin"
          ? "Opened from OfficeRnD."
          : viewer.canEdit
            ? `Signed in as a partner user (${viewer.role}).`
            : `Signed in as a partner user (${viewer.role}): you can view this configuration but not change it.`}
      </p>
      {isStale ? (
        <p
          role="status"
          className="mt-2 rounded-md bg-amber-50 p-2 text-xs text-amber-900 ring-1 ring-amber-200"
        >
          Your session has ended, so this page no longer updates. Open the configuration again from OfficeRnD.
        </p>
      ) : null}
    </header>
  );
}
