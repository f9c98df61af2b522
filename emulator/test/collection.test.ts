import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Collection } from "../src/data/collection";
import { createDataset } from "../src/data/dataset";
import { paginate, type Cursor, type Page, decodeCursor } from "../src/data/paginate";
import type { RecordFilter } from "../src/data/record-filter";
import type { MemberRecord } from "../src/data/records";
import { GENERATED_DATA_CUTOFF_MS } from "../src/data/timeline";

// The lazily generated collection with its overlay must behave like a plain sorted array of records.

function allPages(collection: Collection<MemberRecord>, filter: RecordFilter, limit: number) {
  const ids: string[] = [];
  let cursor: Cursor | null = null;
  for (let guard = 0; guard < 10_000; guard += 1) {
    const page: Page<MemberRecord> = paginate({ collection, filter, limit, cursor });
    ids.push(...page.results.map((record) => record._id));
    if (!page.cursorNext) break;
    cursor = decodeCursor(page.cursorNext) ?? null;
  }
  return ids;
}

describe("generated collection", () => {
  it("is deterministic for a seed and differs between seeds", () => {
    const first = createDataset({ seed: 7, members: 50, companies: 5 }).organizations.get("acme-coworking");
    const again = createDataset({ seed: 7, members: 50, companies: 5 }).organizations.get("acme-coworking");
    const other = createDataset({ seed: 8, members: 50, companies: 5 }).organizations.get("acme-coworking");
    const ids = (org: typeof first) =>
      [...(org?.members.scan({}, { direction: "forward" }) ?? [])].map((member) => member._id + member.name);
    expect(ids(first)).toEqual(ids(again));
    expect(ids(first)).not.toEqual(ids(other));
  });

  it("keeps ids unique and sorted, with members spread evenly over the four locations", () => {
    const org = createDataset({ seed: 1, members: 103, companies: 9 }).organizations.get("acme-coworking");
    const members = [...(org?.members.scan({}, { direction: "forward" }) ?? [])];
    const ids = members.map((member) => member._id);
    expect(new Set(ids).size).toBe(103);
    expect([...ids].sort()).toEqual(ids);
    expect(ids.every((id) => /^[0-9a-f]{24}$/.test(id))).toBe(true);
    expect([...(org?.members.countByLocation().values() ?? [])]).toEqual([26, 26, 26, 25]);
  });

  it("pages like a sorted array after random creates, updates and removals", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom("create", "update", "remove"), fc.nat(60), fc.nat(3)), {
          maxLength: 40,
        }),
        fc.integer({ min: 1, max: 9 }),
        fc.option(fc.nat(3), { nil: undefined }),
        (operations, limit, locationSlot) => {
          const org = createDataset({ seed: 3, members: 37, companies: 4 }).organizations.get(
            "acme-coworking",
          );
          if (!org) throw new Error("no org");
          const locationIds = [...org.locations.scan({}, { direction: "forward" })].map(
            (location) => location._id,
          );
          const model = new Map(
            [...org.members.scan({}, { direction: "forward" })].map((member) => [member._id, member]),
          );
          let counter = 0;
          for (const [operation, pick, slot] of operations) {
            const existing = [...model.keys()].sort()[pick % Math.max(model.size, 1)];
            if (operation === "create" || !existing) {
              counter += 1;
              const template = model.values().next().value ?? org.members.source.build(0);
              const record: MemberRecord = {
                ...template,
                _id: `ffffffff00000000000000${String(counter).padStart(2, "0")}`,
                location: locationIds[slot] ?? null,
              };
              org.members.insert(record);
              model.set(record._id, record);
            } else if (operation === "update") {
              const record = {
                ...(model.get(existing) as MemberRecord),
                location: locationIds[slot] ?? null,
                name: `changed ${slot}`,
              };
              org.members.replace(record);
              model.set(existing, record);
            } else {
              org.members.remove(existing);
              model.delete(existing);
            }
          }
          const location = locationSlot === undefined ? undefined : locationIds[locationSlot];
          const filter: RecordFilter = location ? { locations: new Set([location]) } : {};
          const expected = [...model.values()]
            .filter((member) => !location || member.location === location)
            .map((member) => member._id)
            .sort();
          expect(allPages(org.members, filter, limit)).toEqual(expected);
          expect(org.members.size()).toBe(model.size);
        },
      ),
      { numRuns: 150 },
    );
  });

  it("walks back with cursorPrev to the first page", () => {
    const org = createDataset({ seed: 1, members: 120, companies: 0 }).organizations.get("globex-spaces");
    if (!org) throw new Error("no org");
    const first = paginate({ collection: org.members, filter: {}, limit: 50, cursor: null });
    const second = paginate({
      collection: org.members,
      filter: {},
      limit: 50,
      cursor: decodeCursor(first.cursorNext ?? "") ?? null,
    });
    const back = paginate({
      collection: org.members,
      filter: {},
      limit: 50,
      cursor: decodeCursor(second.cursorPrev ?? "") ?? null,
    });
    expect(back.results.map((member) => member._id)).toEqual(first.results.map((member) => member._id));
    expect(back).toMatchObject({ rangeStart: 1, rangeEnd: 50, cursorPrev: null });
    expect(second).toMatchObject({ rangeStart: 51, rangeEnd: 100 });
  });

  it("touches only the records a page returns, even among a million", () => {
    const org = createDataset({ seed: 1, members: 1_000_000, companies: 10 }).organizations.get(
      "acme-coworking",
    );
    if (!org) throw new Error("no org");
    const { source } = org.members;
    const calls = { traits: 0, build: 0 };
    const collection = new Collection({
      ...source,
      traitsOf: (index: number) => (calls.traits++, source.traitsOf(index)),
      build: (index: number) => (calls.build++, source.build(index)),
    });
    const afterGenerated = paginate({
      collection,
      filter: { modifiedAt: { min: GENERATED_DATA_CUTOFF_MS, max: Infinity } },
      limit: 50,
      cursor: null,
    });
    expect(afterGenerated.results).toEqual([]);
    expect(calls).toEqual({ traits: expect.any(Number), build: 0 });
    expect(calls.traits).toBeLessThan(60); // a binary search, not a scan
    const location = new Set([source.slotIds[2] ?? ""]);
    const first = paginate({ collection, filter: { locations: location }, limit: 50, cursor: null });
    Object.assign(calls, { traits: 0, build: 0 });
    const deep = paginate({
      collection,
      filter: { locations: location },
      limit: 50,
      cursor: { id: source.idOf(600_002), position: 150_000, direction: "next" },
    });
    expect(first.results).toHaveLength(50);
    expect(deep.results[0]?._id).toBe(source.idOf(600_006));
    expect(calls).toEqual({ traits: 51, build: 51 });
  });
});
