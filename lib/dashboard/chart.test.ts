import { describe, expect, it } from "vitest";
import { addWebhookChanges, fillDays, lastDays, layoutBars } from "./chart";

describe("lastDays / fillDays", () => {
  it("lists the UTC days of the window ending today, oldest first", () => {
    expect(lastDays(new Date("2026-03-02T23:30:00.000Z"), 3)).toEqual([
      "2026-02-28",
      "2026-03-01",
      "2026-03-02",
    ]);
  });

  it("fills days without runs with zero and drops totals outside the window", () => {
    const filled = fillDays(
      [
        { day: "2026-03-01", records: 7, runs: 2 },
        { day: "2026-01-01", records: 99, runs: 1 },
      ],
      ["2026-02-28", "2026-03-01"],
    );
    expect(filled).toEqual([
      { day: "2026-02-28", records: 0, runs: 0 },
      { day: "2026-03-01", records: 7, runs: 2 },
    ]);
  });
});

describe("layoutBars", () => {
  it("scales bars to the busiest day and keeps small days visible", () => {
    const chart = layoutBars(
      [
        { day: "a", records: 1000, runs: 1 },
        { day: "b", records: 1, runs: 1 },
        { day: "c", records: 0, runs: 0 },
      ],
      { width: 300, height: 100, gap: 0, minVisible: 2 },
    );
    expect(chart.max).toBe(1000);
    expect(chart.total).toBe(1001);
    expect(chart.bars.map((bar) => bar.height)).toEqual([100, 2, 0]);
    expect(chart.bars.map((bar) => bar.x)).toEqual([0, 100, 200]);
    expect(chart.bars[0]!.y).toBe(0);
  });

  it("draws nothing for an empty history", () => {
    const chart = layoutBars([{ day: "a", records: 0, runs: 0 }]);
    expect(chart.max).toBe(0);
    expect(chart.bars[0]!.height).toBe(0);
  });
});

describe("addWebhookChanges", () => {
  it("counts changes applied from webhooks in the day's records", () => {
    const days = [
      { day: "2026-03-01", records: 7, runs: 2 },
      { day: "2026-03-02", records: 0, runs: 0 },
    ];
    expect(addWebhookChanges(days, [{ day: "2026-03-02", changes: 5 }])).toEqual([
      { day: "2026-03-01", records: 7, runs: 2, webhooks: 0 },
      { day: "2026-03-02", records: 5, runs: 0, webhooks: 5 },
    ]);
  });
});
