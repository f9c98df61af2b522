// The delivery log: one entry per (event, subscription), with every attempt's outcome and timing.

export type DeliveryAttempt = {
  number: number;
  startedAt: string;
  durationMs: number;
  statusCode: number | null;
  error: string | null;
  /** The first 500 characters of the receiver's answer. */
  responseBody: string | null;
};

export type DeliveryStatus = "pending" | "succeeded" | "failed" | "cancelled" | "dropped";

export type Delivery = {
  _id: string;
  eventId: string;
  eventType: string;
  orgSlug: string;
  webhookId: string;
  url: string;
  status: DeliveryStatus;
  attempts: DeliveryAttempt[];
  nextAttemptAt: string | null;
  /** The exact JSON body sent (identical on every attempt). */
  body: string;
};

export type WebhookEvent = {
  id: string;
  eventType: string;
  orgSlug: string;
  createdAt: string;
  data: { object: unknown; previousAttributes?: Record<string, unknown> };
};

const MAX_KEPT = 5000;

/** Keeps the newest entries, dropping the oldest finished ones past the cap. */
export class BoundedLog<T> {
  private entries: T[] = [];

  constructor(private readonly isPending: (entry: T) => boolean = () => false) {}

  add(entry: T): void {
    this.entries.push(entry);
    if (this.entries.length <= MAX_KEPT) return;
    const keepFrom = this.entries.length - MAX_KEPT;
    this.entries = this.entries.filter((item, index) => index >= keepFrom || this.isPending(item));
  }

  all(): readonly T[] {
    return this.entries;
  }
}

/** The event body as delivered; `id` and `createdAt` are an assumption that can be switched off. */
export function eventBody(event: WebhookEvent, withEventIds: boolean): string {
  const envelope = withEventIds
    ? { id: event.id, eventType: event.eventType, data: event.data, createdAt: event.createdAt }
    : { eventType: event.eventType, data: event.data };
  return JSON.stringify(envelope);
}
