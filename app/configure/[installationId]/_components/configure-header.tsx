import { InstallationStatusBadge, TokenStateBadge } from "@/components/officernd/status-badges";
import { Badge } from "@/components/ui/badge";
import { RelativeTime } from "@/components/ui/relative-time";
import type { ConfigureViewer } from "@/lib/configuration/access";
import type { Configuration } from "@/lib/configuration/load-configuration";
import { DiagnosisBanner } from "./diagnosis-banner";

/** Organisation, partner account and health at a glance. */
export function ConfigureHeader({ configuration, viewer, now }: { configuration: Configuration; viewer: ConfigureViewer; now: Date }) {
  const { installation, health } = configuration;
  const { webhooks } = health;
  return (
    <header className="rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200 sm:p-5">
      <div className="flex flex-wrap items-start justify-between gap-2">
        <div>
          <p className="text-xs font-semibold uppercase tracking-wide text-brand-700">OfficeRnD integration · configuration</p>
          <h1 className="mt-1 text-xl font-bold sm:text-2xl" data-testid="org-name">
            {installation.orgName}
          </h1>
          <p className="text-sm text-slate-600">
            <code className="text-xs">{installation.orgSlug}</code> · connected to <strong data-testid="account-name">{installation.accountName}</strong>
          </p>
        </div>
        <InstallationStatusBadge status={installation.status} />
      </div>
      <DiagnosisBanner installationId={installation.id} canEdit={viewer.canEdit} officeRndUrl={new URL(configuration.returnUrl).origin} />
      <dl className="mt-4 grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1.5 text-sm" aria-label="Health">
        <dt className="text-slate-600">OfficeRnD access</dt>
        <dd data-testid="token-state">
          <TokenStateBadge state={health.token} />
        </dd>
        <dt className="text-slate-600">Last healthcheck</dt>
        <dd>
          <RelativeTime date={health.lastHealthcheckAt} now={now} />
        </dd>
        <dt className="text-slate-600">Last successful sync</dt>
        <dd data-testid="last-sync">
          <RelativeTime date={health.lastSuccessfulSyncAt} now={now} />
        </dd>
        <dt className="text-slate-600">Webhooks</dt>
        <dd data-testid="webhook-state">
          {webhooks.subscriptions === 0 ? (
            <Badge tone={installation.status === "removed" ? "neutral" : "warn"}>Not subscribed</Badge>
          ) : (
            <>
              <Badge tone="good">Subscribed</Badge>{" "}
              <span className="text-slate-600">
                {webhooks.eventTypes.length} event types · last event <RelativeTime date={webhooks.lastEventAt} now={now} />
                {webhooks.failedEvents > 0 ? ` · ${webhooks.failedEvents} failed` : ""}
              </span>
            </>
          )}
        </dd>
        <dt className="text-slate-600">Sync</dt>
        <dd>{installation.syncEnabled ? "On for this organisation" : "Off for this organisation (turn a location on to start)"}</dd>
      </dl>
      <p className="mt-3 text-xs text-slate-600">
        {viewer.kind === "officernd-admin"
          ? "Opened from OfficeRnD."
          : viewer.canEdit
            ? `Signed in as a partner user (${viewer.role}).`
            : `Signed in as a partner user (${viewer.role}): you can view this configuration but not change it.`}
      </p>
    </header>
  );
}
