// Pure: how the UI groups SyncRun.status values. The sync engine writes the statuses; unknown values
// fall into "other" so a new engine status never breaks a page.

export const ACTIVE_RUN_STATUSES = ["queued", "running"] as const;
export const SUCCEEDED_RUN_STATUSES = ["succeeded", "completed"] as const;
export const FAILED_RUN_STATUSES = ["failed", "cancelled", "canceled", "aborted"] as const;

export type RunStatusGroup = "active" | "succeeded" | "failed" | "other";

export function runStatusGroup(status: string): RunStatusGroup {
  if ((ACTIVE_RUN_STATUSES as readonly string[]).includes(status)) return "active";
  if ((SUCCEEDED_RUN_STATUSES as readonly string[]).includes(status)) return "succeeded";
  if ((FAILED_RUN_STATUSES as readonly string[]).includes(status)) return "failed";
  return "other";
}

export function isActiveRun(status: string): boolean {
  return runStatusGroup(status) === "active";
}
