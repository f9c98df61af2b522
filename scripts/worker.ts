// npm run worker – a sync worker: pg-boss jobs for syncs, webhook events and maintenance, plus a
// heartbeat every ~10 s. Run as many as you like, on as many machines as you like (one Postgres).
import { errorSummary, configureLogLevel, log } from "@/lib/log";
import { env } from "@/lib/env";
import { startWorker, tuneHeapForStreaming } from "@/lib/worker/start-worker";
import { onStopSignals } from "./lib/shutdown.ts";

const STOP_DEADLINE_MS = 8_000;

async function main(): Promise<void> {
  env();
  configureLogLevel();
  tuneHeapForStreaming();
  const worker = await startWorker();
  console.log(`[worker] ${worker.id} started`);
  // Whatever state the database is in (it may be shutting down under us), the process is gone within
  // STOP_DEADLINE_MS of the first signal; a second Ctrl-C exits at once.
  onStopSignals(
    (signal) => {
      console.log(
        `[worker] ${signal}: finishing the current page, then stopping (at most ${STOP_DEADLINE_MS / 1000} s)`,
      );
      setTimeout(() => {
        console.error(`[worker] not stopped after ${STOP_DEADLINE_MS / 1000} s; exiting anyway`);
        process.exit(1);
      }, STOP_DEADLINE_MS);
      worker.stop().then(
        () => process.exit(0),
        (error: unknown) => {
          console.error(`[worker] stop failed: ${errorSummary(error)}`);
          process.exit(1);
        },
      );
    },
    (signal) => {
      console.error(`[worker] ${signal} again: exiting now`);
      process.exit(130);
    },
  );
}

main().catch((error: unknown) => {
  log.error({ err: errorSummary(error, { withName: true }) }, "worker failed to start");
  console.error(`[worker] failed to start: ${errorSummary(error)}`);
  process.exit(1);
});
