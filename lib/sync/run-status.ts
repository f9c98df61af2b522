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

const TRIGGER_LABELS: Record<string, string> = {
  "configure.sync_now": "Sync now",
  "configure.sync_enabled": "sync turned on",
  "configure.settings_changed": "settings changed",
  "officernd-sync-url": "OfficeRnD Sync",
  schedule: "scheduled",
  discovered: "new location",
  "webhook.location_created": "new location",
};

/** Why a run started, in a few words (unknown triggers are shown as recorded). */
export function describeTrigger(trigger: string): string {
  return TRIGGER_LABELS[trigger] ?? trigger;
}
