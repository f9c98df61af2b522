import "server-only";
import { env } from "@/lib/env";
import { configureLogLevel } from "@/lib/log";

/** Validates the configuration once at start-up; a bad value ends the process with one readable message. */
export function validateConfigurationOrExit(): void {
  try {
    env();
    configureLogLevel();
  } catch (error) {
    console.error(`\n${(error as Error).message}\n`);
    process.exit(1);
  }
}
