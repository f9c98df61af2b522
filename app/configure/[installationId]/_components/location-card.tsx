import type { LocationCard as LocationCardData } from "@/lib/configuration/load-configuration";
import { LastRun } from "./last-run";
import { LiveEvents, LiveRuns, LocationSummary, OfficeRndTotalsPending } from "./live-activity";
import { LocationSettingsForm } from "./location-settings-form";
import { SyncNowForm } from "./sync-now-form";

type Props = {
  installationId: string;
  card: LocationCardData;
  canEdit: boolean;
  isRemoved: boolean;
  isOpen: boolean;
};

/**
 * One location as a disclosure: the summary row (name, sync state, what we hold, last sync) is always
 * shown; the details (progress, settings, runs, events) open on demand, so four locations fit the popup.
 * A native <details>, so it opens from the keyboard and without JavaScript.
 */
export function LocationCard({ installationId, card, canEdit, isRemoved, isOpen }: Props) {
  const headingId = `location-${card.locationId}`;
  return (
    <section
      aria-labelledby={headingId}
      className="rounded-lg bg-white shadow-sm ring-1 ring-slate-200"
      data-location-id={card.locationId}
    >
      <details open={isOpen} className="group">
        <summary className="flex cursor-pointer list-none items-start gap-2 rounded-lg p-4 sm:px-5 [&::-webkit-details-marker]:hidden">
          <span aria-hidden="true" className="mt-1 text-slate-500 transition-transform group-open:rotate-90">
            ▸
          </span>
          <span className="min-w-0 flex-1 space-y-1">
            <h2 id={headingId} className="text-lg font-semibold">
              {card.name}
            </h2>
            <LocationSummary locationId={card.locationId} />
          </span>
        </summary>
        <div className="px-4 pb-4 sm:px-5 sm:pb-5">
          <div className="space-y-3">
            <LastRun locationId={card.locationId} locationName={card.name} />
            <OfficeRndTotalsPending locationId={card.locationId} />
            {isRemoved ? null : (
              <SyncNowForm
                installationId={installationId}
                locationId={card.locationId}
                locationName={card.name}
                isDisabled={!canEdit || !card.isSyncing}
              />
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
                memberStatusCounts={card.memberStatusCounts}
                canEdit={canEdit}
              />
            </div>
          )}

          <div className="mt-5 grid gap-5 border-t border-slate-100 pt-4">
            <div>
              <h3 className="mb-2 text-sm font-semibold">Last runs</h3>
              <LiveRuns locationId={card.locationId} label={`Last sync runs, ${card.name}`} />
            </div>
            <div>
              <h3 className="mb-2 text-sm font-semibold">Recent webhook events</h3>
              <LiveEvents locationId={card.locationId} />
            </div>
          </div>
        </div>
      </details>
    </section>
  );
}
