import "server-only";
import { env, type Env } from "@/lib/env";
import { stampConnectionAddresses } from "@/lib/net/connection-address";
import { configureLogLevel } from "@/lib/log";

/**
 * What the app server (not the worker) additionally needs in production: /api/metrics reveals
 * traffic and runs queries per scrape, so it is never served without its bearer token.
 */
export function appServerProblems(config: Pick<Env, "NODE_ENV" | "METRICS_TOKEN">): string[] {
  if (config.NODE_ENV !== "production" || config.METRICS_TOKEN) return [];
  return [
    "  METRICS_TOKEN: required in production (at least 16 characters); /api/metrics is served only with it",
  ];
}

/** Validates the configuration once at start-up; a bad value ends the process with one readable message. */
export function validateConfigurationOrExit(): void {
  try {
    const problems = appServerProblems(env());
    if (problems.length > 0)
      throw new Error(`Invalid configuration (see README, "Configuration"):\n${problems.join("\n")}`);
    configureLogLevel();
    stampConnectionAddresses();
  } catch (error) {
    console.error(`\n${(error as Error).message}\n`);
    process.exit(1);
  }
}
