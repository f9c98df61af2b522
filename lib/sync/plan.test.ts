import { describe, expect, it } from "vitest";
import { DEFAULT_LOCATION_SETTINGS } from "@/lib/sync/location-settings";
import {
  decideRunKind,
  estimateTotal,
  FULL_SYNC_INTERVAL_MS,
  incrementalSince,
  initialCheckpoint,
  nextPhase,
  pageQuery,
  phasesFor,
  WATERMARK_OVERLAP_MS,
} from "@/lib/sync/plan";

const NOW = new Date("2025-06-01T12:00:00.000Z");
const settings = { ...DEFAULT_LOCATION_SETTINGS, memberStatuses: ["active", "former"] as ("active" | "former")[] };

describe("decideRunKind", () => {
  it("is full without a watermark or a recent full pass, else incremental", () => {
    const recent = new Date(NOW.getTime() - 3_600_000);
    expect(decideRunKind({ requested: "auto", watermark: null, lastFullSyncAt: null, now: NOW })).toBe("full");
    expect(decideRunKind({ requested: "auto", watermark: recent, lastFullSyncAt: recent, now: NOW })).toBe("incremental");
    const old = new Date(NOW.getTime() - FULL_SYNC_INTERVAL_MS);
    expect(decideRunKind({ requested: "auto", watermark: recent, lastFullSyncAt: old, now: NOW })).toBe("full");
  });

  it("honours an explicit kind, except incremental without a watermark", () => {
    expect(decideRunKind({ requested: "full", watermark: NOW, lastFullSyncAt: NOW, now: NOW })).toBe("full");
    expect(decideRunKind({ requested: "incremental", watermark: null, lastFullSyncAt: null, now: NOW })).toBe("full");
  });
});

describe("phasesFor", () => {
  it("walks what the settings enable and sweeps only on a full run", () => {
    expect(phasesFor("full", DEFAULT_LOCATION_SETTINGS)).toEqual(["locations", "companies", "members", "sweep"]);
    expect(phasesFor("incremental", DEFAULT_LOCATION_SETTINGS)).toEqual(["locations", "companies", "members"]);
    expect(phasesFor("full", { ...DEFAULT_LOCATION_SETTINGS, syncCompanies: false })).toEqual(["locations", "members", "sweep"]);
  });

  it("nextPhase ends in done", () => {
    const phases = phasesFor("incremental", DEFAULT_LOCATION_SETTINGS);
    expect(nextPhase(phases, "locations")).toBe("companies");
    expect(nextPhase(phases, "members")).toBe("done");
    expect(initialCheckpoint({ kind: "full", settings, since: null, lease: "l" })).toMatchObject({ phase: "locations", cursor: null, attempts: 0 });
  });
});

describe("pageQuery", () => {
  const base = { locationId: "loc1", settings, since: "2025-05-01T00:00:00.000Z", cursor: null };

  it("filters a full run's members by location and status, with the maximum page size", () => {
    const query = pageQuery({ ...base, phase: "members", kind: "full" });
    expect(Object.fromEntries(query)).toEqual({ location: "loc1", "status[$in]": "active,former", $limit: "50" });
  });

  it("asks an incremental run for every status changed since the watermark", () => {
    const query = pageQuery({ ...base, phase: "members", kind: "incremental", cursor: "abc" });
    expect(Object.fromEntries(query)).toEqual({ location: "loc1", "modifiedAt[$gte]": base.since, $limit: "50", $cursorNext: "abc" });
  });

  it("reads the location itself by id", () => {
    expect(Object.fromEntries(pageQuery({ ...base, phase: "locations", kind: "incremental" }))).toEqual({ _id: "loc1", $limit: "50" });
  });

  it("looks back an overlap before the watermark", () => {
    expect(incrementalSince(NOW)).toBe(new Date(NOW.getTime() - WATERMARK_OVERLAP_MS).toISOString());
  });
});

describe("estimateTotal", () => {
  it("is exact at the end, at least one more page before", () => {
    expect(estimateTotal({ done: 120, knownRows: 0, hasMore: false })).toBe(120);
    expect(estimateTotal({ done: 120, knownRows: 0, hasMore: true })).toBe(170);
    expect(estimateTotal({ done: 120, knownRows: 1000, hasMore: true })).toBe(1000);
  });
});
