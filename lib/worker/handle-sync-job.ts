import "server-only";
import { db } from "@/lib/db";
import { sendSyncJob } from "@/lib/jobs/boss";
import type { SyncLocationJob } from "@/lib/jobs/queues";
import { log } from "@/lib/log";
import { executeRun, type EngineDeps, type RunOutcome } from "@/lib/sync/engine";
import { claimNextRun } from "@/lib/sync/run-claim";

// `sync-location` job: claim the location's next run and execute it. Afterwards another job is sent
// when work remains (a time slice ended, or more runs wait); the job itself stays short-lived.

/** A live run holds the location: look again after this long. */
const BUSY_RETRY_SECONDS = 30;

export class RetryLaterError extends Error {}

export async function handleSyncJob(
  job: SyncLocationJob,
  deps: EngineDeps = {},
  workerId: string | null = null,
): Promise<RunOutcome | "busy" | "idle"> {
  const claim = await claimNextRun({ ...job, workerId });
  if (claim.kind === "idle") return "idle";
  if (claim.kind === "busy") {
    await sendSyncJob(job, { startAfterSeconds: BUSY_RETRY_SECONDS });
    return "busy";
  }
  const outcome = await executeRun(claim.run, deps);
  log.info(
    {
      runId: claim.run.id,
      installationId: job.installationId,
      locationId: job.locationId,
      kind: claim.run.kind,
      outcome,
    },
    "sync run step finished",
  );
  // Throwing hands the job to pg-boss's retry with backoff; the run resumes from its checkpoint.
  if (outcome === "retry") throw new RetryLaterError(`sync run ${claim.run.id} will be retried`);
  // The next slice, or the next queued run of this location.
  const isMoreWaiting =
    outcome === "continue" ||
    (await db.syncRun.count({
      where: { installationId: job.installationId, locationId: job.locationId, status: "queued" },
    })) > 0;
  if (isMoreWaiting) await sendSyncJob(job);
  return outcome;
}
