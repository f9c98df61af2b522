import { runStatusGroup, type RunStatusGroup } from "@/lib/sync/run-status";

// Pure: a sync run's progress as the bar shows it: records done of total, rate and time left.

export type RunProgressInput = {
  id: string;
  status: string;
  phase: string | null;
  done: number;
  total: number | null;
  startedAt: Date | null;
  finishedAt: Date | null;
  error: string | null;
};

/** JSON-safe (the progress route sends it, the client bar renders it). */
export type ProgressView = {
  runId: string;
  status: string;
  group: RunStatusGroup;
  phase: string | null;
  done: number;
  total: number | null;
  /** 0–100, or null while the total is unknown (the bar is indeterminate). */
  percent: number | null;
  recordsPerSecond: number | null;
  secondsLeft: number | null;
  error: string | null;
};

/** Rates over shorter spans are noise (the first page alone would read as thousands per second). */
const MIN_ELAPSED_MS = 1000;

export function describeProgress(run: RunProgressInput, now: Date): ProgressView {
  const group = runStatusGroup(run.status);
  const done = Math.max(0, run.done);
  const total = run.total === null ? null : Math.max(run.total, done);
  const percent =
    group === "succeeded"
      ? 100
      : total === null
        ? null
        : total === 0
          ? group === "active"
            ? 0
            : 100
          : Math.floor((done / total) * 100);
  const end = run.finishedAt ?? now;
  const elapsed = run.startedAt ? end.getTime() - run.startedAt.getTime() : 0;
  const recordsPerSecond = elapsed >= MIN_ELAPSED_MS && done > 0 ? done / (elapsed / 1000) : null;
  const secondsLeft =
    group === "active" && recordsPerSecond && total !== null
      ? Math.ceil((total - done) / recordsPerSecond)
      : null;
  return {
    runId: run.id,
    status: run.status,
    group,
    phase: run.phase,
    done,
    total,
    percent,
    recordsPerSecond,
    secondsLeft,
    error: run.error,
  };
}
