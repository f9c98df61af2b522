import { RunsTable } from "@/components/officernd/runs-table";
import { Badge } from "@/components/ui/badge";
import { RelativeTime } from "@/components/ui/relative-time";
import { formatCount } from "@/lib/configuration/format";
import type { LocationCard as LocationCardData } from "@/lib/configuration/load-configuration";
import { LocationSettingsForm } from "./location-settings-form";
import { SyncNowForm } from "./sync-now-form";
import { SyncProgress } from "./sync-progress";
import { WebhookEvents } from "./webhook-events";

type Props = { installationId: string; card: LocationCardData; canEdit: boolean; isRemoved: boolean; now: Date };

export function LocationCard({ installationId, card, canEdit, isRemoved, now }: Props) {
  const headingId = `location-${card.locationId}`;
  return (
    <section aria-labelledby={headingId} className="rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200 sm:p-5" data-location-id={card.locationId}>
      <div className="flex flex-wrap items-start justify-between gap-2">
        <div>
          <h2 id={headingId} className="text-lg font-semibold">
            {card.name}
          </h2>
          <p className="text-xs text-slate-600">
            {formatCount(card.counts.members)} members · {formatCount(card.counts.companies)} companies · last sync{" "}
            <RelativeTime date={card.lastSyncAt} now={now} />
          </p>
        </div>
        <Badge tone={card.isSyncing ? "good" : "neutral"}>{card.isSyncing ? "Sync on" : "Sync off"}</Badge>
      </div>

      <div className="mt-4 space-y-3">
        <SyncProgress
          key={card.progress?.runId ?? "none"}
          installationId={installationId}
          locationId={card.locationId}
          locationName={card.name}
          initial={card.progress}
        />
        {isRemoved ? null : (
          <SyncNowForm installationId={installationId} locationId={card.locationId} locationName={card.name} isDisabled={!canEdit || !card.isSyncing} />
        )}
      </div>

      {isRemoved ? null : (
        <div className="mt-5 border-t border-slate-100 pt-4">
          <LocationSettingsForm
            installationId={installationId}
            locationId={card.locationId}
            locationName={card.name}
            isSyncing={card.isSyncing}
            settings={card.settings}
            fieldMapping={card.fieldMapping}
            canEdit={canEdit}
          />
        </div>
      )}

      <div className="mt-5 grid gap-5 border-t border-slate-100 pt-4">
        <div>
          <h3 className="mb-2 text-sm font-semibold">Last runs</h3>
          <RunsTable runs={card.runs} label={`Last sync runs, ${card.name}`} now={now} />
        </div>
        <div>
          <h3 className="mb-2 text-sm font-semibold">Recent webhook events</h3>
          <WebhookEvents events={card.events} now={now} />
        </div>
      </div>
    </section>
  );
}
