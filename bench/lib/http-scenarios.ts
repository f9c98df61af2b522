// The requests bench:http and bench:http-profile send: Next's floor, the signed healthcheck, the sync
// toggle and the webhook receiver, each signed afresh for a random one of the bench's installations.
import { randomBytes, randomUUID } from "node:crypto";
import path from "node:path";
import { signQuery, signWebhook } from "../../lib/officernd/signature.ts";
import { PROJECT_DIR } from "../../scripts/lib/database.ts";
import type { BenchInstallation } from "../http-fixtures.ts";

export const BENCH_DIST_DIR = ".next-bench";
export const NEXT_BIN = path.join(PROJECT_DIR, "node_modules", ".bin", "next");

export type Scenario = {
  name: string;
  request: () => { method: "GET" | "POST"; path: string; headers?: Record<string, string>; body?: string };
};

const pick = (installations: BenchInstallation[]) =>
  installations[Math.floor(Math.random() * installations.length)]!;
const now = () => Math.floor(Date.now() / 1000);

function signedPath(route: string, installation: BenchInstallation, extra: [string, string][] = []): string {
  // A fresh memberId makes every request unique, so replay protection never refuses a load request.
  const params: [string, string][] = [
    ["slug", installation.orgSlug],
    ["locations", installation.locationsKey],
    ["organizationId", "5b5b68eb74565a0e0000b068"],
    ["memberId", randomBytes(12).toString("hex")],
    ...extra,
  ];
  const query = new URLSearchParams(params);
  query.append("signature", signQuery(params, installation.secret, now()));
  return `${route}?${query.toString()}`;
}

export function scenarios(installations: BenchInstallation[]): Scenario[] {
  return [
    // No database, no crypto: what the framework itself costs per request, for reading the ratios.
    { name: "health (floor)", request: () => ({ method: "GET", path: "/api/health" }) },
    {
      name: "healthcheck",
      request: () => ({ method: "GET", path: signedPath("/api/officernd/healthcheck", pick(installations)) }),
    },
    {
      name: "sync toggle",
      request: () => ({
        method: "GET",
        path: signedPath("/api/officernd/sync", pick(installations), [
          ["enabled", Math.random() < 0.5 ? "true" : "false"],
        ]),
      }),
    },
    {
      name: "webhook",
      request: () => {
        const installation = pick(installations);
        const body = JSON.stringify({
          id: randomUUID(),
          eventType: "member.updated",
          data: {
            object: {
              _id: randomBytes(12).toString("hex"),
              name: "Load Test",
              modifiedAt: new Date().toISOString(),
            },
          },
        });
        return {
          method: "POST",
          path: `/api/webhooks/officernd/${installation.id}`,
          body,
          headers: {
            "content-type": "application/json",
            "officernd-signature": signWebhook(body, installation.webhookSecret, now()),
          },
        };
      },
    },
  ];
}

/** The app's environment under load: production, quiet logs, no public rate limits (one client IP). */
export function benchAppEnv(input: {
  databaseUrl: string;
  encryptionKey: string;
  port: number;
}): Record<string, string> {
  return {
    NODE_ENV: "production",
    NEXT_DIST_DIR: BENCH_DIST_DIR,
    NEXT_TELEMETRY_DISABLED: "1",
    DATABASE_URL: input.databaseUrl,
    APP_URL: `http://localhost:${input.port}`,
    NEXTAUTH_SECRET: randomBytes(32).toString("hex"),
    ENCRYPTION_KEY: input.encryptionKey,
    OFFICERND_CLIENT_ID: "bench",
    OFFICERND_CLIENT_SECRET: "bench",
    LOG_LEVEL: "warn",
    METRICS_TOKEN: randomBytes(16).toString("hex"),
    // Public rate limits are per client IP; the benchmark is one IP sending thousands a second.
    RATE_LIMIT_PER_IP_PER_MINUTE: "0",
    RATE_LIMIT_PER_ORG_PER_MINUTE: "0",
  };
}
