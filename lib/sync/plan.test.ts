import { describe, expect, it } from "vitest";
import { DEFAULT_LOCATION_SETTINGS } from "@/lib/sync/location-settings";
import {
  checkpointSchema,
  decideRunKind,
  estimateTotal,
  incrementalSince,
  initialCheckpoint,
  nextPhase,
  pageQuery,
  phasesFor,
} from "@/lib/sync/plan";

const NOW = new Date("2025-06-01T12:00:00.000Z");
const settings = {
  ...DEFAULT_LOCATION_SETTINGS,
  memberStatuses: ["active", "former"] as ("active" | "former")[],
};

describe("decideRunKind", () => {
  it("is full without a watermark or a recent full pass, else incremental", () => {
    const recent = new Date(NOW.getTime() - 3_600_000);
    expect(decideRunKind({ requested: "auto", watermark: null, lastFullSyncAt: null, now: NOW })).toBe(
      "full",
    );
    expect(decideRunKind({ requested: "auto", watermark: recent, lastFullSyncAt: recent, now: NOW })).toBe(
      "incremental",
    );
    // A full pass at least once a day: 24 h ago is due, 23 h 59 min ago is not.
    const dayAgo = new Date("2025-05-31T12:00:00.000Z");
    expect(decideRunKind({ requested: "auto", watermark: recent, lastFullSyncAt: dayAgo, now: NOW })).toBe(
      "full",
    );
    const almostDayAgo = new Date("2025-05-31T12:01:00.000Z");
    expect(
      decideRunKind({ requested: "auto", watermark: recent, lastFullSyncAt: almostDayAgo, now: NOW }),
    ).toBe("incremental");
  });

  it("honours an explicit kind, except incremental without a watermark", () => {
    expect(decideRunKind({ requested: "full", watermark: NOW, lastFullSyncAt: NOW, now: NOW })).toBe("full");
    expect(decideRunKind({ requested: "incremental", watermark: null, lastFullSyncAt: null, now: NOW })).toBe(
      "full",
    );
  });
});

describe("phasesFor", () => {
  it("walks what the settings enable and sweeps only on a full run", () => {
    expect(phasesFor("full", DEFAULT_LOCATION_SETTINGS)).toEqual([
      "locations",
      "companies",
      "members",
      "sweep",
    ]);
    expect(phasesFor("incremental", DEFAULT_LOCATION_SETTINGS)).toEqual([
      "locations",
      "companies",
      "members",
    ]);
    expect(phasesFor("full", { ...DEFAULT_LOCATION_SETTINGS, syncCompanies: false })).toEqual([
      "locations",
      "members",
      "sweep",
    ]);
  });

  it("nextPhase ends in done", () => {
    const phases = phasesFor("incremental", DEFAULT_LOCATION_SETTINGS);
    expect(nextPhase(phases, "locations")).toBe("companies");
    expect(nextPhase(phases, "members")).toBe("done");
    expect(initialCheckpoint({ kind: "full", settings, since: null, lease: "l" })).toMatchObject({
      phase: "locations",
      cursor: null,
      attempts: 0,
    });
  });
});

describe("pageQuery", () => {
  const base = { locationId: "loc1", settings, since: "2025-05-01T00:00:00.000Z", cursor: null };

  it("filters a full run's members by location and status, with the maximum page size", () => {
    const query = pageQuery({ ...base, phase: "members", kind: "full" });
    expect(Object.fromEntries(query)).toEqual({
      location: "loc1",
      "status[$in]": "active,former",
      $limit: "50",
    });
  });

  it("asks an incremental run for every status changed since the watermark", () => {
    const query = pageQuery({ ...base, phase: "members", kind: "incremental", cursor: "abc" });
    expect(Object.fromEntries(query)).toEqual({
      location: "loc1",
      "modifiedAt[$gte]": base.since,
      $limit: "50",
      $cursorNext: "abc",
    });
  });

  it("reads the location itself by id", () => {
    expect(Object.fromEntries(pageQuery({ ...base, phase: "locations", kind: "incremental" }))).toEqual({
      _id: "loc1",
      $limit: "50",
    });
  });

  it("looks back an overlap before the watermark", () => {
    // Five minutes before 12:00.
    expect(incrementalSince(NOW)).toBe("2025-06-01T11:55:00.000Z");
  });
});

describe("estimateTotal", () => {
  it("is exact at the end, at least one more page before", () => {
    expect(estimateTotal({ done: 120, knownRows: 0, hasMore: false })).toBe(120);
    expect(estimateTotal({ done: 120, knownRows: 0, hasMore: true })).toBe(170);
    expect(estimateTotal({ done: 120, knownRows: 1000, hasMore: true })).toBe(1000);
  });
});

// Issue 18: cases the mutation run (npm run test:mutation) showed no test held.
describe("plan edges", () => {
  const recent = new Date("2025-06-01T11:00:00.000Z");

  it("an explicit incremental with a watermark stays incremental", () => {
    expect(
      decideRunKind({ requested: "incremental", watermark: recent, lastFullSyncAt: null, now: NOW }),
    ).toBe("incremental");
  });

  it("auto is full when either the watermark or the last full pass is missing", () => {
    expect(decideRunKind({ requested: "auto", watermark: recent, lastFullSyncAt: null, now: NOW })).toBe(
      "full",
    );
    expect(decideRunKind({ requested: "auto", watermark: null, lastFullSyncAt: recent, now: NOW })).toBe(
      "full",
    );
  });

  it("leaves members out when they are not synced", () => {
    expect(phasesFor("full", { ...DEFAULT_LOCATION_SETTINGS, syncMembers: false })).toEqual([
      "locations",
      "companies",
      "sweep",
    ]);
  });

  it("filters by status only on a full run's member pages, not its company pages", () => {
    const query = pageQuery({
      phase: "companies",
      kind: "full",
      locationId: "loc1",
      settings,
      since: null,
      cursor: null,
    });
    expect(Object.fromEntries(query)).toEqual({ location: "loc1", $limit: "50" });
  });

  it("a phase the run does not walk is followed by done", () => {
    expect(nextPhase(phasesFor("incremental", DEFAULT_LOCATION_SETTINGS), "sweep")).toBe("done");
    expect(nextPhase(["locations", "members"], "companies")).toBe("done");
  });

  it("the checkpoint schema reads a saved checkpoint back, defaults attempts to 0 and refuses a negative count", () => {
    const saved = initialCheckpoint({
      kind: "incremental",
      settings,
      since: "2025-05-01T00:00:00.000Z",
      lease: "worker-1",
    });
    expect(checkpointSchema.parse({ ...saved, attempts: 2 })).toEqual({ ...saved, attempts: 2 });
    const { attempts: _attempts, ...withoutAttempts } = saved;
    expect(checkpointSchema.parse(withoutAttempts)).toEqual({ ...saved, attempts: 0 });
    expect(checkpointSchema.safeParse({ ...saved, attempts: -1 }).success).toBe(false);
    expect(checkpointSchema.safeParse({}).success).toBe(false);
  });
});
