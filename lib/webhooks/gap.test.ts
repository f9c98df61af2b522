import { describe, expect, it } from "vitest";
import { findMissedChanges, gapMessage } from "@/lib/webhooks/gap";

const T = (minute: number) => new Date(Date.UTC(2026, 10, 30, 9, minute)).toISOString();
const base = {
  copyVersions: new Map<string, string | null>(),
  heardAt: new Map<string, Date>(),
  settledBefore: new Date(T(30)),
  previousCheckedThrough: T(0),
};

describe("findMissedChanges", () => {
  it("a change neither in our copy nor heard of is missed", () => {
    const result = findMissedChanges({ ...base, changes: [{ id: "a", modifiedAt: T(5), isRelevant: true }] });
    expect(result.missed.map((change) => change.id)).toEqual(["a"]);
    expect(result.checkedThrough).toBe(T(5));
  });

  it("is covered by our copy holding that version or a newer one", () => {
    const copyVersions = new Map([
      ["a", T(5)],
      ["b", T(9)],
      ["c", T(4)],
      ["d", null],
    ]);
    const changes = ["a", "b", "c", "d"].map((id) => ({ id, modifiedAt: T(5), isRelevant: true }));
    expect(findMissedChanges({ ...base, copyVersions, changes }).missed.map((change) => change.id)).toEqual([
      "c",
      "d",
    ]);
  });

  it("is covered by a webhook received after the change (a few seconds of clock skew allowed)", () => {
    const heardAt = new Map([
      ["a", new Date(Date.parse(T(5)) - 2_000)],
      ["b", new Date(Date.parse(T(5)) - 60_000)],
    ]);
    const changes = ["a", "b"].map((id) => ({ id, modifiedAt: T(5), isRelevant: true }));
    expect(findMissedChanges({ ...base, heardAt, changes }).missed.map((change) => change.id)).toEqual(["b"]);
  });

  it("ignores changes outside the synced scope that we do not hold", () => {
    expect(
      findMissedChanges({ ...base, changes: [{ id: "a", modifiedAt: T(5), isRelevant: false }] }).missed,
    ).toEqual([]);
  });

  it("leaves changes younger than the grace period for the next check, without moving the mark past them", () => {
    const result = findMissedChanges({
      ...base,
      changes: [{ id: "a", modifiedAt: T(31), isRelevant: true }],
    });
    expect(result).toEqual({ missed: [], checkedThrough: T(0), inFlight: 1 });
  });
});

it("gapMessage says how many and since when", () => {
  expect(gapMessage({ count: 3, hasMore: false, since: new Date(T(2)) })).toBe(
    "webhooks missed: 3 changes since 09:02 UTC",
  );
  expect(gapMessage({ count: 1, hasMore: false, since: new Date(T(2)) })).toBe(
    "webhooks missed: 1 change since 09:02 UTC",
  );
  expect(gapMessage({ count: 50, hasMore: true, since: new Date(T(2)) })).toBe(
    "webhooks missed: 50+ changes since 09:02 UTC",
  );
});
