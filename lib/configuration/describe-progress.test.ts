import { describe, expect, it } from "vitest";
import { describeProgress, type RunProgressInput } from "./describe-progress";

const NOW = new Date("2026-03-04T12:00:10.000Z");
const run = (overrides: Partial<RunProgressInput>): RunProgressInput => ({
  id: "run-1",
  status: "running",
  phase: "members",
  done: 0,
  total: null,
  startedAt: new Date("2026-03-04T12:00:00.000Z"),
  finishedAt: null,
  error: null,
  ...overrides,
});

describe("describeProgress", () => {
  it("computes percent, rate and time left of a running run", () => {
    const view = describeProgress(run({ done: 250, total: 1000 }), NOW);
    expect(view).toMatchObject({ group: "active", percent: 25, recordsPerSecond: 25, secondsLeft: 30 });
  });

  it("is indeterminate while the total is unknown", () => {
    expect(describeProgress(run({ done: 50, total: null }), NOW)).toMatchObject({
      percent: null,
      secondsLeft: null,
      recordsPerSecond: 5,
    });
  });

  it("reads 100% once the run succeeded, even if the estimate was short", () => {
    const finished = run({
      status: "succeeded",
      done: 90,
      total: 100,
      finishedAt: new Date("2026-03-04T12:00:05.000Z"),
    });
    expect(describeProgress(finished, NOW)).toMatchObject({
      group: "succeeded",
      percent: 100,
      secondsLeft: null,
      recordsPerSecond: 18,
    });
  });

  it("never shows more done than total", () => {
    expect(describeProgress(run({ done: 120, total: 100 }), NOW)).toMatchObject({ total: 120, percent: 100 });
  });

  it("gives no rate for a queued run or in the first second", () => {
    expect(describeProgress(run({ status: "queued", startedAt: null }), NOW).recordsPerSecond).toBeNull();
    expect(
      describeProgress(run({ done: 50, startedAt: new Date(NOW.getTime() - 500) }), NOW).recordsPerSecond,
    ).toBeNull();
  });

  it("keeps a failed run's percent and error", () => {
    expect(
      describeProgress(run({ status: "failed", done: 30, total: 60, error: "rate limited" }), NOW),
    ).toMatchObject({
      group: "failed",
      percent: 50,
      error: "rate limited",
    });
  });
});
