import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ACME, startHarness, type Harness } from "./support/harness";

// A million members per organisation stay cheap over HTTP. Timings are loose bounds that only catch a
// full scan (seconds); collection.test.ts counts the records touched exactly.

let emulator: Harness;
let token: string;
let locationId: string;

beforeAll(async () => {
  emulator = await startHarness({ members: 1_000_000, companies: 50_000 });
  token = await emulator.token("officernd.api.read");
  locationId = (await emulator.state()).organizations[0]?.locations[3]?._id ?? "";
});
afterAll(() => emulator.close());

async function timed<T>(work: () => Promise<T>): Promise<{ result: T; ms: number }> {
  const started = performance.now();
  const result = await work();
  return { result, ms: performance.now() - started };
}

describe("one million members", () => {
  it("reports the counts without materialising records", async () => {
    const state = await emulator.state();
    expect(state.organizations[0]?.locations.map((location) => location.memberCount)).toEqual([250_000, 250_000, 250_000, 250_000]);
    expect(process.memoryUsage().heapUsed).toBeLessThan(400 * 1024 * 1024);
  });

  it("pages a location quickly, deep pages included", async () => {
    const first = await timed(() => emulator.api(`/api/v2/organizations/${ACME}/members?location=${locationId}`, token));
    expect(first.result.body.results).toHaveLength(50);
    expect(first.ms).toBeLessThan(1000);
    let cursor = first.result.body.cursorNext;
    for (let page = 0; page < 20; page += 1) {
      const next = await emulator.api(`/api/v2/organizations/${ACME}/members?location=${locationId}&$cursorNext=${cursor}`, token);
      cursor = next.body.cursorNext;
    }
    const deep = await timed(() => emulator.api(`/api/v2/organizations/${ACME}/members?location=${locationId}&$cursorNext=${cursor}`, token));
    expect(deep.result.body.rangeStart).toBe(1051);
    expect(deep.ms).toBeLessThan(1000);
  });

  it("answers modifiedAt[$gte] after the generated data from the overlay alone", async () => {
    const since = new Date().toISOString();
    const created = await emulator.control(`/orgs/${ACME}/members`, { name: "Fresh Member", location: locationId });
    const { result, ms } = await timed(() => emulator.api(`/api/v2/organizations/${ACME}/members?modifiedAt[$gte]=${since}&location=${locationId}`, token));
    expect(result.body.results.map((member: { _id: string }) => member._id)).toEqual([created._id]);
    expect(result.body.cursorNext).toBeNull();
    expect(ms).toBeLessThan(500);
  });

  it("finds a member by id in constant time", async () => {
    const { result } = await timed(() => emulator.api(`/api/v2/organizations/${ACME}/members?$limit=1`, token));
    const id = result.body.results[0]._id;
    const single = await timed(() => emulator.api(`/api/v2/organizations/${ACME}/members/${id}`, token));
    expect(single.result.status).toBe(200);
    expect(single.ms).toBeLessThan(500);
  });
});
