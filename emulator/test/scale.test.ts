import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Collection } from "../src/data/collection";
import type { RecordSource } from "../src/data/record-source";
import { ACME, startHarness, type Harness } from "./support/harness";

// A million members per organisation stay cheap over HTTP: each request touches a handful of generated
// records, never a scan of the million. Counted, not timed (issue 18 item 6): the in-process emulator's
// record sources are wrapped with pass-through counters of the records they look at (`traitsOf`), build
// (`build`) and whose ids they compute (`idOf`, what a binary search over a million costs: about 20 each).
// collection.test.ts checks the records themselves.

let emulator: Harness;
let token: string;
let locationId: string;

type Counts = { traitsOf: number; build: number; idOf: number };
const touched: Counts = { traitsOf: 0, build: 0, idOf: 0 };
const counted = new WeakSet<object>();
const original = { scan: Collection.prototype.scan, get: Collection.prototype.get };

/** Wraps a collection's generated-record source once with counters; its answers are unchanged. */
function countTouches(source: RecordSource<{ _id: string }>): void {
  if (counted.has(source)) return;
  counted.add(source);
  for (const name of ["traitsOf", "build", "idOf"] as const) {
    const real = source[name].bind(source) as (index: number) => never;
    source[name] = (index: number) => {
      touched[name] += 1;
      return real(index);
    };
  }
}

/** What one piece of work touched. */
async function touchedBy<T>(work: () => Promise<T>): Promise<{ result: T; touched: Counts }> {
  Object.assign(touched, { traitsOf: 0, build: 0, idOf: 0 });
  const result = await work();
  return { result, touched: { ...touched } };
}

beforeAll(async () => {
  Collection.prototype.scan = function (this: Collection<{ _id: string }>, ...args) {
    countTouches(this.source);
    return original.scan.apply(this, args);
  } as typeof original.scan;
  Collection.prototype.get = function (this: Collection<{ _id: string }>, id: string) {
    countTouches(this.source);
    return original.get.call(this, id);
  } as typeof original.get;
  emulator = await startHarness({ members: 1_000_000, companies: 50_000 });
  token = await emulator.token("officernd.api.read");
  locationId = (await emulator.state()).organizations[0]?.locations[3]?._id ?? "";
});
afterAll(async () => {
  Object.assign(Collection.prototype, original);
  await emulator.close();
});

describe("one million members", () => {
  it("reports the counts without materialising records", async () => {
    const { result: state, touched } = await touchedBy(() => emulator.state());
    expect(
      state.organizations[0]?.locations.map((location: { memberCount: number }) => location.memberCount),
    ).toEqual([250_000, 250_000, 250_000, 250_000]);
    // A few records of small stores (6 today), never a walk over the members.
    expect(touched.build).toBeLessThan(20);
    expect(touched.traitsOf).toBeLessThan(20);
    expect(process.memoryUsage().heapUsed).toBeLessThan(400 * 1024 * 1024);
  });

  it("pages a location touching about one page of records, deep pages included", async () => {
    const first = await touchedBy(() =>
      emulator.api(`/api/v2/organizations/${ACME}/members?location=${locationId}`, token),
    );
    expect(first.result.body.results).toHaveLength(50);
    // The location's records only (one in four), the page and one more to know there is a next page.
    expect(first.touched.build).toBeLessThanOrEqual(51);
    expect(first.touched.traitsOf).toBeLessThanOrEqual(51);
    let cursor = first.result.body.cursorNext;
    for (let page = 0; page < 20; page += 1) {
      const next = await emulator.api(
        `/api/v2/organizations/${ACME}/members?location=${locationId}&$cursorNext=${cursor}`,
        token,
      );
      cursor = next.body.cursorNext;
    }
    const deep = await touchedBy(() =>
      emulator.api(
        `/api/v2/organizations/${ACME}/members?location=${locationId}&$cursorNext=${cursor}`,
        token,
      ),
    );
    expect(deep.result.body.rangeStart).toBe(1051);
    // The 22nd page costs what the first did: the cursor is found by binary search (log2 of a million ≈ 20
    // ids).
    expect(deep.touched.build).toBeLessThanOrEqual(51);
    expect(deep.touched.traitsOf).toBeLessThanOrEqual(51);
    expect(deep.touched.idOf).toBeLessThanOrEqual(51 + 2 * 21);
  });

  it("answers modifiedAt[$gte] after the generated data from the overlay alone", async () => {
    const since = new Date().toISOString();
    const created = await emulator.control(`/orgs/${ACME}/members`, {
      name: "Fresh Member",
      location: locationId,
    });
    const { result, touched } = await touchedBy(() =>
      emulator.api(
        `/api/v2/organizations/${ACME}/members?modifiedAt[$gte]=${since}&location=${locationId}`,
        token,
      ),
    );
    expect(result.body.results.map((member: { _id: string }) => member._id)).toEqual([created._id]);
    expect(result.body.cursorNext).toBeNull();
    // No generated record is built; the date window is found by binary search over createdAt.
    expect(touched.build).toBe(0);
    expect(touched.traitsOf).toBeLessThanOrEqual(2 * 21);
  });

  it("finds a member by id building that one record", async () => {
    const { result } = await touchedBy(() =>
      emulator.api(`/api/v2/organizations/${ACME}/members?$limit=1`, token),
    );
    const id = result.body.results[0]._id;
    const single = await touchedBy(() => emulator.api(`/api/v2/organizations/${ACME}/members/${id}`, token));
    expect(single.result.status).toBe(200);
    expect(single.result.body._id).toBe(id);
    expect(single.touched.build).toBe(1);
    expect(single.touched.traitsOf).toBe(0);
  });
});
