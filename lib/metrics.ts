import "server-only";
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
import { db } from "@/lib/db";
import { registerWebhookHealthMetrics } from "@/lib/webhook-health-metrics";

// Prometheus metrics. Per-request figures are counted in this process; figures that workers produce
// (queue depth, webhook lag, sync throughput) are read from Postgres at scrape time, so one scrape of
// any app instance sees the whole system.

function create() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry }); // process memory, CPU, event-loop lag, GC
  const httpRequests = new Counter({
    name: "http_requests_total",
    help: "HTTP requests by route, method and status",
    labelNames: ["route", "method", "status"] as const,
    registers: [registry],
  });
  const httpDuration = new Histogram({
    name: "http_request_duration_seconds",
    help: "HTTP request latency by route",
    labelNames: ["route", "method", "status"] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const signatureFailures = new Counter({
    name: "officernd_signature_failures_total",
    help: "Rejected OfficeRnD signatures by kind and reason",
    labelNames: ["kind", "reason"] as const,
    registers: [registry],
  });
  const webhooksReceived = new Counter({
    name: "officernd_webhook_events_received_total",
    help: "Webhook events accepted by type",
    labelNames: ["event_type", "outcome"] as const,
    registers: [registry],
  });
  const tokenRefreshes = new Counter({
    name: "officernd_token_refreshes_total",
    help: "OfficeRnD token refreshes by outcome",
    labelNames: ["outcome"] as const,
    registers: [registry],
  });

  new Gauge({
    name: "officernd_queue_depth",
    help: "Work waiting: queued or running sync runs, unprocessed webhook events",
    labelNames: ["queue"] as const,
    registers: [registry],
    async collect() {
      const [runs, events] = await Promise.all([
        db.syncRun.count({ where: { status: { in: ["queued", "running"] } } }),
        db.webhookEvent.count({ where: { status: { in: ["received", "processing"] } } }),
      ]);
      this.set({ queue: "sync_runs" }, runs);
      this.set({ queue: "webhook_events" }, events);
    },
  });
  new Gauge({
    name: "officernd_webhook_lag_seconds",
    help: "Age of the oldest webhook event not yet processed (0 when none)",
    registers: [registry],
    async collect() {
      const oldest = await db.webhookEvent.findFirst({
        where: { status: { in: ["received", "processing"] } },
        orderBy: { receivedAt: "asc" },
        select: { receivedAt: true },
      });
      this.set(oldest ? (Date.now() - oldest.receivedAt.getTime()) / 1000 : 0);
    },
  });
  new Gauge({
    name: "officernd_webhook_events_processed",
    help: "Webhook events by processing status (all time)",
    labelNames: ["status"] as const,
    registers: [registry],
    async collect() {
      const groups = await db.webhookEvent.groupBy({ by: ["status"], _count: { _all: true } });
      this.reset();
      for (const group of groups) this.set({ status: group.status }, group._count._all);
    },
  });
  new Gauge({
    name: "officernd_sync_records_per_second",
    help: "Records synced per second over the runs finished in the last 15 minutes",
    registers: [registry],
    async collect() {
      const rows = await db.$queryRaw<{ records: bigint | null; seconds: number | null }[]>`
        SELECT sum("done") AS records, sum(extract(epoch FROM ("finishedAt" - "startedAt"))) AS seconds
          FROM "SyncRun" WHERE "finishedAt" > now() - interval '15 minutes' AND "startedAt" IS NOT NULL`;
      const records = Number(rows[0]?.records ?? 0);
      const seconds = Number(rows[0]?.seconds ?? 0);
      this.set(seconds > 0 ? records / seconds : 0);
    },
  });
  registerWebhookHealthMetrics(registry);
  return { registry, httpRequests, httpDuration, signatureFailures, webhooksReceived, tokenRefreshes };
}

const globalForMetrics = globalThis as unknown as { metrics?: ReturnType<typeof create> };
export const metrics = (globalForMetrics.metrics ??= create());

export function observeRequest(route: string, method: string, status: number, seconds: number): void {
  const labels = { route, method, status: String(status) };
  metrics.httpRequests.inc(labels);
  metrics.httpDuration.observe(labels, seconds);
}
