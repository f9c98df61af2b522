import { Badge, type Tone } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { RelativeTime } from "@/components/ui/relative-time";
import { loadDeliveryHealth, type SubscriptionState } from "@/lib/webhooks/delivery-health";

const SUBSCRIPTION: Record<SubscriptionState, { tone: Tone; label: string }> = {
  ok: { tone: "good", label: "Active at OfficeRnD" },
  missing: { tone: "bad", label: "Missing at OfficeRnD" },
  check_failed: { tone: "warn", label: "Could not be checked" },
  unchecked: { tone: "neutral", label: "Not checked yet" },
  none: { tone: "warn", label: "Not subscribed" },
};

/** Webhook delivery health (issue 13 part 3): subscription, traffic, and what the gap check found. */
export async function WebhookDelivery({ installationId, now }: { installationId: string; now: Date }) {
  const health = await loadDeliveryHealth(installationId, now);
  const subscription = SUBSCRIPTION[health.subscriptionState];
  return (
    <Card title="Webhook delivery">
      <dl
        className="grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1.5 text-sm"
        aria-label="Webhook delivery"
        data-testid="webhook-delivery"
      >
        <dt className="text-slate-600">Subscription</dt>
        <dd data-testid="webhook-subscription">
          <Badge tone={subscription.tone}>{subscription.label}</Badge>
          {health.subscriptionRecreatedAt ? (
            <span className="text-slate-600">
              {" "}
              · recreated <RelativeTime date={health.subscriptionRecreatedAt} now={now} />
            </span>
          ) : null}
        </dd>
        <dt className="text-slate-600">Last event</dt>
        <dd>
          <RelativeTime date={health.lastEventAt} now={now} />
        </dd>
        <dt className="text-slate-600">Last 24 hours</dt>
        <dd>
          {health.eventsLastDay} {health.eventsLastDay === 1 ? "event" : "events"}
          {health.failedLastDay > 0 ? (
            <span className="text-red-800"> · {health.failedLastDay} failed</span>
          ) : null}
        </dd>
        <dt className="text-slate-600">Missed webhooks</dt>
        <dd data-testid="webhook-gap">
          {health.lastCheckAt === null ? (
            <span className="text-slate-600">Not checked yet (every {health.checkEveryMinutes} min)</span>
          ) : health.missedChanges > 0 ? (
            <>
              <Badge tone="warn">{health.lastGapMessage}</Badge>{" "}
              <span className="text-slate-600">· healed by an incremental sync</span>
            </>
          ) : (
            <>
              <Badge tone="good">None</Badge>{" "}
              <span className="text-slate-600">
                · checked <RelativeTime date={health.lastCheckAt} now={now} />
                {health.totalMissed > 0 ? ` · ${health.totalMissed} healed so far` : ""}
              </span>
            </>
          )}
        </dd>
        {health.lastCheckError ? (
          <>
            <dt className="text-slate-600">Last check</dt>
            <dd className="break-words text-amber-900">{health.lastCheckError}</dd>
          </>
        ) : null}
      </dl>
    </Card>
  );
}
