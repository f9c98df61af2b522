import { Card } from "@/components/ui/card";
import type { ConfigureViewer } from "@/lib/configuration/access";
import { formatCount } from "@/lib/format";
import { listPendingReviews, type PendingReview } from "@/lib/configuration/deletion-review";
import { DeletionReviewForm } from "./deletion-review-form";
import { SyncPreviewForm } from "./sync-preview-form";

// The mass-delete breaker's panel (issue 13 part 2): every full pass held for review, with its numbers,
// a sample of what would go and "Apply deletions" / "Keep records"; and "Preview sync" per location.

const KIND_LABELS = { members: "members", companies: "companies", locations: "locations" } as const;

export async function DeletionReviewPanel({
  installationId,
  viewer,
  locations,
}: {
  installationId: string;
  viewer: ConfigureViewer;
  locations: { locationId: string; name: string; isSyncing: boolean }[];
}) {
  if (viewer.isRemoved) return null;
  const pending = await listPendingReviews(viewer);
  const syncing = locations.filter((location) => location.isSyncing);
  return (
    <>
      {pending.map((item) => (
        <PendingReviewCard
          key={item.runId}
          installationId={installationId}
          item={item}
          canEdit={viewer.canEdit}
        />
      ))}
      {viewer.canEdit && syncing.length > 0 ? (
        <Card title="Preview sync">
          <p className="mb-3 text-sm text-slate-600">
            Reads everything from OfficeRnD as a full sync would and shows what it would create, update and
            delete. Nothing is changed.
          </p>
          <div className="space-y-3">
            {syncing.map((location) => (
              <SyncPreviewForm
                key={location.locationId}
                installationId={installationId}
                locationId={location.locationId}
                locationName={location.name}
              />
            ))}
          </div>
        </Card>
      ) : null}
    </>
  );
}

function PendingReviewCard({
  installationId,
  item,
  canEdit,
}: {
  installationId: string;
  item: PendingReview;
  canEdit: boolean;
}) {
  const { review } = item;
  const headingId = `review-${item.runId}`;
  const parts = (["members", "companies", "locations"] as const)
    .filter((kind) => review.wouldDelete[kind] > 0)
    .map(
      (kind) =>
        `${formatCount(review.wouldDelete[kind])} of ${formatCount(review.live[kind])} ${KIND_LABELS[kind]}`,
    );
  return (
    <section
      aria-labelledby={headingId}
      className="rounded-lg bg-amber-50 p-4 ring-1 ring-amber-300 sm:p-5"
      data-testid="deletion-review"
    >
      <h2 id={headingId} className="text-base font-semibold text-amber-950">
        Sync paused before deleting: {item.locationName}
      </h2>
      <p className="mt-1 text-sm text-amber-950">
        The last full sync would remove {formatCount(review.total)} records ({review.percent} % of what this
        location holds): {parts.join(", ")}. That is more than the safety limit ({review.guard.percent} % or{" "}
        {formatCount(review.guard.max)} records), so nothing was deleted. Check in OfficeRnD whether they were
        really removed.
      </p>
      {review.sample.length > 0 ? (
        <>
          <h3 className="mt-3 text-sm font-semibold text-amber-950">Some of the records that would go</h3>
          <ul className="mt-1 list-disc pl-5 text-sm text-amber-950">
            {review.sample.map((entry) => (
              <li key={`${entry.kind}:${entry.remoteId}`}>
                {entry.name || entry.remoteId}
                {entry.email ? <span className="text-amber-900"> · {entry.email}</span> : null}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {canEdit ? (
        <DeletionReviewForm
          installationId={installationId}
          runId={item.runId}
          total={review.total}
          locationName={item.locationName}
        />
      ) : (
        <p className="mt-3 text-sm text-amber-950">
          An owner or admin of the account can apply or refuse these deletions.
        </p>
      )}
    </section>
  );
}
