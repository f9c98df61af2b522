import "server-only";
import { Gauge, type Registry } from "prom-client";
import { db } from "@/lib/db";

// Webhook delivery health as metrics (issue 13 part 3), read from Postgres at scrape time like the
// other worker-produced figures, so any app instance reports the whole system.

export function registerWebhookHealthMetrics(registry: Registry): void {
  new Gauge({
    name: "officernd_webhook_gap_installations",
    help: "Installations whose last webhook-gap check found changes no webhook announced",
    registers: [registry],
    async collect() {
      this.set(
        await db.webhookHealth.count({
          where: { missedChanges: { gt: 0 }, installation: { status: "active" } },
        }),
      );
    },
  });
  new Gauge({
    name: "officernd_webhook_missed_changes",
    help: "Changes found by webhook-gap checks: at the last check, and in total since each installation's first check",
    labelNames: ["window"] as const,
    registers: [registry],
    async collect() {
      const sums = await db.webhookHealth.aggregate({
        where: { installation: { status: "active" } },
        _sum: { missedChanges: true, totalMissed: true },
      });
      this.set({ window: "last_check" }, sums._sum.missedChanges ?? 0);
      this.set({ window: "total" }, sums._sum.totalMissed ?? 0);
    },
  });
  new Gauge({
    name: "officernd_webhook_subscriptions",
    help: "Active installations by the state of their webhook subscription at OfficeRnD (as last checked)",
    labelNames: ["state"] as const,
    registers: [registry],
    async collect() {
      const active = { installation: { status: "active" as const } };
      const [missing, recreated, checkFailed] = await Promise.all([
        db.webhookHealth.count({ where: { ...active, subscriptionMissingSince: { not: null } } }),
        db.webhookHealth.count({ where: { ...active, subscriptionRecreatedAt: { not: null } } }),
        db.webhookHealth.count({ where: { ...active, subscriptionError: { not: null } } }),
      ]);
      this.set({ state: "missing" }, missing);
      this.set({ state: "recreated" }, recreated);
      this.set({ state: "check_failed" }, checkFailed);
    },
  });
}
