import "server-only";
import { AppError } from "@/lib/errors";
import { errorSummary, log } from "@/lib/log";
import {
  createOrgApi,
  type OrgApi as ApiClient,
  type OrgApiDeps as ApiClientDeps,
} from "@/lib/officernd/org-api";
import type { Page, RecordKind, RecordOf } from "@/lib/officernd/v2-schemas";
import { companyNames } from "@/lib/sync/company-names";
import { maxModifiedAt, toPageRows, type RowMapping } from "@/lib/sync/mapping";
import { remapIfMappingChanged } from "@/lib/sync/remap";
import { estimateTotal, nextPhase, pageQuery, type Checkpoint, type ListPhase } from "@/lib/sync/plan";
import type { ClaimedRun } from "@/lib/sync/run-claim";
import { beat, failRun, finishRun, LeaseLostError, releaseRun } from "@/lib/sync/run-state";
import { writeRows } from "@/lib/sync/upsert";
import { discoverLocations } from "@/lib/sync/discover-locations";
import { requestSync } from "@/lib/sync/request-sync";

// Runs a claimed sync run: walks its phases page by page (the next page is fetched while the current
// one is written), saves the checkpoint with every page in the same statement as the page's upsert,
// hands the run back after a time slice, and finishes it with the sweep.

export type RunOutcome = "succeeded" | "failed" | "cancelled" | "continue" | "retry";

export type EngineDeps = {
  client?: ApiClientDeps;
  /** Hand the run back after this long, so a job never outlives its expiry (default 4 min). */
  sliceMs?: number;
  heartbeatMs?: number;
  /** The worker is shutting down: hand the run back after the current page. */
  stopSignal?: AbortSignal;
  /**
   * After each page is written and checkpointed. Whatever it throws leaves `executeRun` as if the process
   * died there: lease and checkpoint kept, nothing released or failed (test/support/simulated-crash.ts).
   */
  afterPage?: (pages: number) => void;
  now?: () => number;
};

const DEFAULT_SLICE_MS = 4 * 60_000;
const DEFAULT_HEARTBEAT_MS = 10_000;

/** Errors a later attempt cannot fix: the run fails at once. */
const FINAL_CODES = new Set(["reconnect_required", "forbidden", "not_found", "not_connected", "bad_request"]);

/** Carries what `afterPage` threw past the engine's own error handling. */
class ProcessDeath extends Error {
  constructor(readonly thrown: unknown) {
    super("the process died after a page");
  }
}

export async function executeRun(run: ClaimedRun, deps: EngineDeps = {}): Promise<RunOutcome> {
  const abort = new AbortController();
  const now = deps.now ?? Date.now;
  const heartbeat = setInterval(() => {
    beat(run)
      .then((isHeld) => isHeld || abort.abort(new LeaseLostError()))
      .catch((error: unknown) => log.warn({ runId: run.id, err: String(error) }, "sync heartbeat failed"));
  }, deps.heartbeatMs ?? DEFAULT_HEARTBEAT_MS);
  heartbeat.unref();
  const { orgSlug, regionUrl } = run.installation;
  // v1 or v2 as the installation uses, pages mapped to the one model.
  const client = createOrgApi(
    { installationId: run.installationId, orgSlug, regionUrl },
    { ...deps.client, signal: abort.signal },
  );
  let checkpoint = run.checkpoint;
  try {
    if (run.kind === "discover") {
      const { added } = await discoverLocations(run, client);
      await finishRun(run, { ...checkpoint, phase: "done" });
      for (const locationId of added)
        await requestSync({
          installationId: run.installationId,
          locationId,
          trigger: "discovered",
          kind: "full",
        });
      return "succeeded";
    }
    const walk = await walkPhases({
      run,
      client,
      deps,
      now,
      signal: abort.signal,
      onCheckpoint: (saved) => (checkpoint = saved),
    });
    if (walk === "sliced") return (await releaseRun(run, checkpoint)) ? "continue" : "cancelled";
    await finishRun(run, checkpoint);
    // The mapping changed while pages were written with the old one: bring them up to date.
    await remapIfMappingChanged({
      installationId: run.installationId,
      locationId: run.locationId!,
      usedMapping: run.fieldMapping,
    });
    return "succeeded";
  } catch (error) {
    if (error instanceof ProcessDeath) throw error.thrown;
    if (error instanceof LeaseLostError || abort.signal.reason instanceof LeaseLostError) return "cancelled";
    const message = errorSummary(error);
    if (error instanceof AppError && FINAL_CODES.has(error.code)) {
      await failRun(run, message);
      return "failed";
    }
    log.warn({ runId: run.id, err: message }, "sync attempt failed; it will be retried from its checkpoint");
    // Handed back with one more attempt on the clock; the job's retry (or maintenance) resumes it.
    return (await releaseRun(run, { ...checkpoint, attempts: checkpoint.attempts + 1 }, message))
      ? "retry"
      : "cancelled";
  } finally {
    clearInterval(heartbeat);
  }
}

async function walkPhases({
  run,
  client,
  deps,
  now,
  signal,
  onCheckpoint,
}: {
  run: ClaimedRun;
  client: ApiClient;
  deps: EngineDeps;
  now: () => number;
  signal: AbortSignal;
  onCheckpoint: (checkpoint: Checkpoint) => void;
}): Promise<"complete" | "sliced"> {
  const locationId = run.locationId!;
  const scope = new Map([[locationId, run.checkpoint.settings]]);
  const sliceEndsAt = now() + (deps.sliceMs ?? DEFAULT_SLICE_MS);
  const isFull = run.kind === "full";
  let checkpoint = run.checkpoint;
  let done = run.done;
  let pages = 0;

  while (checkpoint.phase !== "done" && checkpoint.phase !== "sweep") {
    const phase: ListPhase = checkpoint.phase;
    const fetchPage = (cursor: string | null) => {
      const query = pageQuery({
        phase,
        kind: isFull ? "full" : "incremental",
        locationId,
        settings: checkpoint.settings,
        since: checkpoint.since,
        cursor,
      });
      const fetchedAt = new Date();
      const promise = client.listPage(phase, query).then((page) => ({ page, fetchedAt }));
      promise.catch(() => {}); // Awaited below; this only keeps an abandoned prefetch from being "unhandled".
      return promise;
    };
    let pending = fetchPage(checkpoint.cursor);
    for (;;) {
      const { page, fetchedAt } = await pending;
      const hasMore = page.cursorNext !== null;
      // Prefetch: OfficeRnD answers the next page while Postgres writes this one.
      if (hasMore) pending = fetchPage(page.cursorNext);
      const next: Checkpoint = hasMore
        ? {
            ...checkpoint,
            cursor: page.cursorNext,
            maxModifiedAt: maxModifiedAt(checkpoint.maxModifiedAt, page.results),
          }
        : {
            ...checkpoint,
            phase: nextPhase(checkpoint.phases, phase),
            cursor: null,
            maxModifiedAt: maxModifiedAt(checkpoint.maxModifiedAt, page.results),
          };
      await writePage({
        run,
        phase,
        page,
        fetchedAt,
        scope,
        isFull,
        checkpoint: next,
        done,
        hasMore: hasMore || next.phase !== "done",
      });
      checkpoint = next;
      onCheckpoint(checkpoint);
      done += page.results.length + page.invalid;
      pages++;
      if (signal.aborted) throw signal.reason;
      try {
        deps.afterPage?.(pages);
      } catch (thrown) {
        throw new ProcessDeath(thrown);
      }
      if (!hasMore) break;
      if (now() >= sliceEndsAt || deps.stopSignal?.aborted) return "sliced";
    }
    if (
      checkpoint.phase !== "done" &&
      checkpoint.phase !== "sweep" &&
      (now() >= sliceEndsAt || deps.stopSignal?.aborted)
    )
      return "sliced";
  }
  return "complete";
}

async function writePage<K extends RecordKind>({
  run,
  phase,
  page,
  fetchedAt,
  scope,
  isFull,
  checkpoint,
  done,
  hasMore,
}: {
  run: ClaimedRun;
  phase: K;
  page: Page<RecordOf<K>>;
  fetchedAt: Date;
  scope: Map<string, Checkpoint["settings"]>;
  isFull: boolean;
  checkpoint: Checkpoint;
  done: number;
  hasMore: boolean;
}): Promise<void> {
  const rows = toPageRows(
    phase,
    page.results,
    scope,
    fetchedAt.toISOString(),
    await rowMapping(run, phase, page.results),
  );
  const result = await writeRows({
    kind: phase,
    installationId: run.installationId,
    rows,
    seenByRunId: isFull ? run.id : null,
    observedAt: fetchedAt,
    progress: {
      runId: run.id,
      checkpoint,
      phase: checkpoint.phase,
      lease: checkpoint.lease,
      totalEstimate: estimateTotal({
        done: done + rows.length + page.invalid,
        knownRows: run.knownRows,
        hasMore,
      }),
      failed: page.invalid,
    },
  });
  if (!result.isRunUpdated) throw new LeaseLostError();
}

/** The location's field mapping, with company names when members take "company" from their company. */
async function rowMapping(
  run: ClaimedRun,
  phase: RecordKind,
  records: readonly RecordOf<RecordKind>[],
): Promise<RowMapping> {
  const fieldMapping = run.fieldMapping;
  if (phase !== "members" || fieldMapping.member.company !== "company.name") return { fieldMapping };
  return {
    fieldMapping,
    companyNames: await companyNames(
      run.installationId,
      records.map((record) => (record as { company?: string | null }).company),
    ),
  };
}
