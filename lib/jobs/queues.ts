import type PgBoss from "pg-boss";

// Job queues (pg-boss, in Postgres schema `pgboss`). Job data is small JSON; everything else lives in
// our tables, so a job can be sent twice or retried without harm.

export const QUEUES = {
  /** `{installationId, locationId}`: run (or resume) the next sync run of that location. */
  syncLocation: "sync-location",
  /** `{eventId}`: apply one persisted webhook event. */
  webhookEvent: "webhook-event",
  /** Every minute: resume stalled runs, redrive unprocessed events, schedule incremental syncs. */
  maintenance: "sync-maintenance",
} as const;

export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

export type SyncLocationJob = { installationId: string; locationId: string | null };
export type WebhookEventJob = { eventId: string };

/**
 * `short` keeps at most one *queued* job per singleton key (installation × location, or event id), so
 * repeated requests collapse into one job without blocking other keys. Running two syncs of one location
 * at once is prevented when a job starts (lib/sync/run-claim.ts), under an advisory lock.
 */
export const QUEUE_OPTIONS: Record<QueueName, Omit<PgBoss.Queue, "name">> = {
  [QUEUES.syncLocation]: {
    policy: "short",
    retryLimit: 6,
    retryDelay: 30,
    retryBackoff: true,
    expireInSeconds: 15 * 60,
  },
  [QUEUES.webhookEvent]: {
    policy: "short",
    retryLimit: 8,
    retryDelay: 5,
    retryBackoff: true,
    expireInSeconds: 5 * 60,
  },
  [QUEUES.maintenance]: { policy: "short", retryLimit: 0, expireInSeconds: 5 * 60 },
};

export function syncJobKey({ installationId, locationId }: SyncLocationJob): string {
  return `${installationId}:${locationId ?? "*"}`;
}
