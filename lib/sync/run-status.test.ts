import { describe, expect, it } from "vitest";
import { describeTrigger, isActiveRun, runStatusGroup } from "./run-status";

describe("runStatusGroup", () => {
  it.each([
    ["queued", "active"],
    ["running", "active"],
    ["succeeded", "succeeded"],
    ["failed", "failed"],
    ["cancelled", "failed"],
    ["paused-by-ops", "other"],
  ])("%s is %s", (status, group) => {
    expect(runStatusGroup(status)).toBe(group);
  });

  it("treats only queued and running runs as active", () => {
    expect(isActiveRun("running")).toBe(true);
    expect(isActiveRun("succeeded")).toBe(false);
  });
});

it("describes known triggers in words and shows unknown ones as recorded", () => {
  expect(describeTrigger("configure.sync_now")).toBe("Sync now");
  expect(describeTrigger("officernd-sync-url")).toBe("OfficeRnD Sync");
  expect(describeTrigger("something.new")).toBe("something.new");
});
