// npm run worker – a sync worker: pg-boss jobs for syncs, webhook events and maintenance, plus a
// heartbeat every ~10 s. Run as many as you like, on as many machines as you like (one Postgres).
import { configureLogLevel, log } from "@/lib/log";
import { env } from "@/lib/env";
import { startWorker, tuneHeapForStreaming } from "@/lib/jobs/worker";

async function main(): Promise<void> {
  env();
  configureLogLevel();
  tuneHeapForStreaming();
  const worker = await startWorker();
  console.log(`[worker] ${worker.id} started`);
  let isStopping = false;
  const stop = async (signal: string) => {
    if (isStopping) return;
    isStopping = true;
    console.log(`[worker] ${signal}: finishing the current page, then stopping`);
    await worker.stop();
    process.exit(0);
  };
  process.once("SIGINT", () => void stop("SIGINT"));
  process.once("SIGTERM", () => void stop("SIGTERM"));
}

main().catch((error: unknown) => {
  log.error({ err: error instanceof Error ? { name: error.name, message: error.message } : String(error) }, "worker failed to start");
  console.error(`[worker] failed to start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
