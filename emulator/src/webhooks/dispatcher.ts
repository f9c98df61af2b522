import type { Clock } from "../clock";
import type { RuntimeConfig } from "../options";
import { profileBehaviour } from "../profiles";
import { signWebhookBody } from "../signing/hmac";
import { BoundedLog, eventBody, type Delivery, type WebhookEvent } from "./deliveries";
import type { WebhookSubscription } from "./subscription-store";

type DispatcherDeps = {
  clock: Clock;
  config: () => RuntimeConfig;
  subscriptions: (orgSlug: string) => WebhookSubscription[];
  findSubscription: (id: string) => WebhookSubscription | undefined;
  newId: () => string;
  /** True when this delivery is to be dropped (never sent, status "dropped"); consumes one drop. */
  takeDrop: () => boolean;
};

/**
 * Sends events to subscriptions as signed POSTs (spec §3b) and retries failures. The retry policy is
 * unconfirmed (spec §3e); the emulator retries non-2xx answers and timeouts with exponential backoff:
 * attempt n+1 waits base × 2^(n−1), up to webhookMaxAttempts attempts.
 */
export class WebhookDispatcher {
  readonly events = new BoundedLog<WebhookEvent>();
  readonly deliveries = new BoundedLog<Delivery>((delivery) => delivery.status === "pending");
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly aborter = new AbortController();
  private pending = 0;
  private idleWaiters: Array<() => void> = [];

  constructor(private readonly deps: DispatcherDeps) {}

  publish({
    orgSlug,
    eventType,
    object,
    previousAttributes,
  }: {
    orgSlug: string;
    eventType: string;
    object: unknown;
    previousAttributes?: Record<string, unknown>;
  }) {
    const { clock, config, newId } = this.deps;
    const event: WebhookEvent = {
      id: newId(),
      eventType,
      orgSlug,
      createdAt: clock.nowIso(),
      data: previousAttributes ? { object, previousAttributes } : { object },
    };
    this.events.add(event);
    const body = eventBody(event, config().eventIds && profileBehaviour(config().profile).eventIds);
    const targets = this.deps
      .subscriptions(orgSlug)
      .filter((webhook) => webhook.isEnabled && webhook.eventTypes.includes(eventType));
    const deliveries = targets.map((webhook) => {
      const delivery: Delivery = {
        _id: newId(),
        eventId: event.id,
        eventType,
        orgSlug,
        webhookId: webhook._id,
        url: webhook.url,
        status: "pending",
        attempts: [],
        nextAttemptAt: clock.nowIso(),
        body,
      };
      this.deliveries.add(delivery);
      if (this.deps.takeDrop()) {
        // Lost on OfficeRnD's side: no attempt is ever made (POST /_emulator/webhook-drops).
        delivery.status = "dropped";
        delivery.nextAttemptAt = null;
        return delivery;
      }
      this.pending += 1;
      void this.attempt(delivery);
      return delivery;
    });
    return { event, deliveries };
  }

  /** Resolves once no delivery is pending (all succeeded, failed for good or were cancelled). */
  idle(): Promise<void> {
    if (this.pending === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Cancels scheduled retries and aborts requests in flight. */
  stop(): void {
    this.aborter.abort();
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    for (const delivery of this.deliveries.all())
      if (delivery.status === "pending") this.finish(delivery, "cancelled");
  }

  private async attempt(delivery: Delivery): Promise<void> {
    const webhook = this.deps.findSubscription(delivery.webhookId);
    if (!webhook || this.aborter.signal.aborted) return this.finish(delivery, "cancelled");
    const { clock, config } = this.deps;
    const startedMs = performance.now();
    const attempt = {
      number: delivery.attempts.length + 1,
      startedAt: clock.nowIso(),
      durationMs: 0,
      statusCode: null as number | null,
      error: null as string | null,
      responseBody: null as string | null,
    };
    delivery.attempts.push(attempt);
    delivery.nextAttemptAt = null;
    try {
      const signature = signWebhookBody({
        rawBody: delivery.body,
        secret: webhook.secret,
        timestamp: clock.signingSeconds(),
      });
      const response = await fetch(delivery.url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "officernd-signature": signature,
          "user-agent": "OfficeRnD-Webhooks (emulator)",
        },
        body: delivery.body,
        redirect: "manual",
        signal: AbortSignal.any([AbortSignal.timeout(config().webhookTimeoutMs), this.aborter.signal]),
      });
      attempt.statusCode = response.status;
      attempt.responseBody = (await response.text()).slice(0, 500);
    } catch (error) {
      attempt.error =
        error instanceof Error
          ? error.name === "TimeoutError"
            ? "timeout"
            : `${error.name}: ${error.cause instanceof Error ? error.cause.message : error.message}`
          : String(error);
    }
    attempt.durationMs = Math.round(performance.now() - startedMs);
    if (this.aborter.signal.aborted) return this.finish(delivery, "cancelled");
    if (attempt.statusCode !== null && attempt.statusCode >= 200 && attempt.statusCode < 300)
      return this.finish(delivery, "succeeded");
    if (delivery.attempts.length >= config().webhookMaxAttempts) return this.finish(delivery, "failed");
    const delayMs = config().webhookRetryBaseMs * 2 ** (delivery.attempts.length - 1);
    delivery.nextAttemptAt = new Date(clock.nowMs() + delayMs).toISOString();
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void this.attempt(delivery);
    }, delayMs);
    this.timers.add(timer);
  }

  private finish(delivery: Delivery, status: Delivery["status"]): void {
    if (delivery.status !== "pending") return;
    delivery.status = status;
    delivery.nextAttemptAt = null;
    this.pending -= 1;
    if (this.pending > 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}
