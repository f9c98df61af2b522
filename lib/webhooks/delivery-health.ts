import "server-only";
import { db } from "@/lib/db";
import { env } from "@/lib/env";

// What the configuration page shows about webhook delivery (issue 13 part 3). Callers have already
// authorised the viewer for this installation (the page does, through lib/configuration/access.ts).

export type SubscriptionState = "ok" | "missing" | "check_failed" | "unchecked" | "none";

export type DeliveryHealth = {
  subscriptions: number;
  subscriptionState: SubscriptionState;
  subscriptionMissingSince: Date | null;
  subscriptionRecreatedAt: Date | null;
  lastEventAt: Date | null;
  eventsLastDay: number;
  failedLastDay: number;
  lastCheckAt: Date | null;
  lastCheckError: string | null;
  /** The last check's finding: changes no webhook announced (0 = none). */
  missedChanges: number;
  lastGapAt: Date | null;
  lastGapMessage: string | null;
  totalMissed: number;
  checkEveryMinutes: number;
};

export async function loadDeliveryHealth(installationId: string, now = new Date()): Promise<DeliveryHealth> {
  const dayAgo = new Date(now.getTime() - 86_400_000);
  const [subscriptions, health, last, lastDay] = await Promise.all([
    db.webhookSubscription.count({ where: { installationId } }),
    db.webhookHealth.findUnique({ where: { installationId } }),
    db.webhookEvent.findFirst({
      where: { installationId },
      orderBy: { receivedAt: "desc" },
      select: { receivedAt: true },
    }),
    db.webhookEvent.groupBy({
      by: ["status"],
      where: { installationId, receivedAt: { gte: dayAgo } },
      _count: { _all: true },
    }),
  ]);
  const subscriptionState: SubscriptionState = health?.subscriptionMissingSince
    ? "missing"
    : subscriptions === 0
      ? "none"
      : health?.subscriptionError
        ? "check_failed"
        : health?.subscriptionCheckedAt
          ? "ok"
          : "unchecked";
  return {
    subscriptions,
    subscriptionState,
    subscriptionMissingSince: health?.subscriptionMissingSince ?? null,
    subscriptionRecreatedAt: health?.subscriptionRecreatedAt ?? null,
    lastEventAt: last?.receivedAt ?? null,
    eventsLastDay: lastDay.reduce((sum, group) => sum + group._count._all, 0),
    failedLastDay: lastDay.find((group) => group.status === "failed")?._count._all ?? 0,
    lastCheckAt: health?.lastCheckAt ?? null,
    lastCheckError: health?.lastCheckError ?? null,
    missedChanges: health?.missedChanges ?? 0,
    lastGapAt: health?.lastGapAt ?? null,
    lastGapMessage: health?.lastGapMessage ?? null,
    totalMissed: health?.totalMissed ?? 0,
    checkEveryMinutes: env().WEBHOOK_RECONCILE_MINUTES,
  };
}
