import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDataset, type DatasetSize } from "../src/data/dataset";
import { ACME, GLOBEX, startHarness, type Harness, type Json } from "./support/harness";
import { readAllPages } from "./support/read-all-pages";

// `--locations N` (EMULATOR_LOCATIONS, reset body `locations`): acme-coworking gets N locations and its
// members and companies are spread `i mod N` over them. The default must stay byte for byte the data
// the app's tests were written against, so the values below were captured before the option existed.

const DEFAULT_ACME_LOCATION_IDS = [
  "5a9742800101010000000000",
  "5ad296000101010000000001",
  "5b0de9800101010000000002",
  "5b493d000101010000000003",
];
const DEFAULT_GLOBEX_LOCATION_IDS = ["5a9742800102010000000000", "5ad296000102010000000001"];
const DEFAULT_FIRST_ACME_MEMBER = {
  _id: "5c2aad800101030000000000",
  name: "Hiroshi Jones",
  email: "hiroshi.jones.1@members.example",
  phone: "+44 7700 913137",
  image: null,
  description: "",
  location: "5a9742800101010000000000",
  company: null,
  status: "active",
  startDate: "2019-01-01T00:00:00.000Z",
  isBillingPerson: true,
  isContactPerson: true,
  address: {
    country: "GB",
    state: "England",
    city: "London",
    street: "12 Rivington Street",
    zip: "EC2A 3DU",
  },
  billingDetails: {
    billingName: "Hiroshi Jones",
    vatNumber: null,
    registrationNumber: null,
    paymentMethod: "bank-transfer",
    billingAddress: null,
  },
  portalPrivacy: { isVisible: true, showContactDetails: false, showSocialProfiles: false },
  socialProfiles: {
    linkedin: "https://www.linkedin.com/in/hiroshi-jones-1",
    twitter: null,
    instagram: null,
    facebook: null,
  },
  properties: { favouriteDesk: "D25" },
  tags: [],
  createdAt: "2019-01-01T00:00:00.000Z",
  modifiedAt: "2019-01-16T21:33:11.338Z",
};

/** sha256 over every generated record of both organisations, in `_id` order. */
function datasetDigest(size: DatasetSize): string {
  const hash = createHash("sha256");
  for (const organization of createDataset(size).organizations.values())
    for (const kind of ["locations", "companies", "members"] as const)
      for (const record of organization[kind].scan({}, { direction: "forward" }))
        hash.update(JSON.stringify(record));
  return hash.digest("hex");
}

const ids = (records: Json[]) => records.map((record) => record._id as string);

describe("default data (4 locations)", () => {
  let emulator: Harness;
  beforeAll(async () => {
    emulator = await startHarness();
  });
  afterAll(() => emulator.close());

  it("keeps the location ids and the first member it had before --locations existed", async () => {
    expect(ids(await emulator.snapshot(ACME, "locations"))).toEqual(DEFAULT_ACME_LOCATION_IDS);
    expect(ids(await emulator.snapshot(GLOBEX, "locations"))).toEqual(DEFAULT_GLOBEX_LOCATION_IDS);
    const token = await emulator.token("officernd.api.read");
    const first = await emulator.api(`/api/v2/organizations/${ACME}/members?$limit=1`, token);
    expect(first.body.results[0]).toEqual(DEFAULT_FIRST_ACME_MEMBER);
  });

  it("generates every record exactly as before, with or without an explicit 4", () => {
    // Digests captured from the generator before the option was added.
    expect(datasetDigest({ seed: 1, members: 250, companies: 40 })).toBe(
      "f505d36347030365ec7d33a9764cc0a9f8b12377e05b84f28c900347408f3ae3",
    );
    expect(datasetDigest({ seed: 1, members: 250, companies: 40, locations: 4 })).toBe(
      "f505d36347030365ec7d33a9764cc0a9f8b12377e05b84f28c900347408f3ae3",
    );
    expect(datasetDigest({ seed: 7, members: 5000, companies: 333, locations: 4 })).toBe(
      "023927363b111504aefac4d0172fcda099da762c4b7ed3ba84a423a00880dc63",
    );
  });

  it("re-seeds with `locations` on reset, back to the start-up count on an empty reset, and refuses 0", async () => {
    const resized = await emulator.control("/reset", { locations: 10 });
    expect(resized.organizations.map((org: Json) => org.locations.length)).toEqual([10, 2]);
    const again = await emulator.control("/reset", {});
    expect(again.organizations.map((org: Json) => org.locations.length)).toEqual([4, 2]);
    const refused = await emulator.request("/_emulator/reset", {
      method: "POST",
      body: JSON.stringify({ locations: 0 }),
    });
    expect(refused.status).toBe(400);
  });

  it("keeps a prefix of the fixed locations below 4", async () => {
    const state = await emulator.control("/reset", { locations: 2 });
    expect(state.organizations[0].locations.map((location: Json) => location._id)).toEqual(
      DEFAULT_ACME_LOCATION_IDS.slice(0, 2),
    );
    expect(state.organizations[0].locations.map((location: Json) => location.memberCount)).toEqual([
      125, 125,
    ]);
    await emulator.control("/reset", {});
  });
});

describe("--locations 10", () => {
  let emulator: Harness;
  let token: string;
  let locationIds: string[];
  beforeAll(async () => {
    emulator = await startHarness({ locations: 10, members: 1000, companies: 100 });
    token = await emulator.token("officernd.api.read");
    locationIds = ids(await emulator.snapshot(ACME, "locations"));
  });
  afterAll(() => emulator.close());

  const base = (resource: string) => `/api/v2/organizations/${ACME}/${resource}`;

  const readAll = (resource: string, query: Record<string, string>) =>
    readAllPages(emulator, token, base(resource), query);

  it("lists 10 locations over API v2, paged, the first 4 being the fixed ones", async () => {
    const { pages, records } = await readAll("locations", { $limit: "3" });
    expect(pages.map((page) => [page.rangeStart, page.rangeEnd])).toEqual([
      [1, 3],
      [4, 6],
      [7, 9],
      [10, 10],
    ]);
    expect(ids(records)).toEqual(locationIds);
    expect(new Set(ids(records)).size).toBe(10);
    expect(ids(records).slice(0, 4)).toEqual(DEFAULT_ACME_LOCATION_IDS);
    for (const id of ids(records)) expect(id).toMatch(/^[0-9a-f]{8}010101[0-9a-f]{10}$/);
    expect(records.map((location) => location.name)).toEqual([
      "Acme Shoreditch",
      "Acme Manchester",
      "Acme Berlin Mitte",
      "Acme New York SoHo",
      "Acme Lisbon",
      "Acme Paris",
      "Acme Amsterdam",
      "Acme Madrid",
      "Acme Dublin",
      "Acme Stockholm",
    ]);
    expect(records[4]).toMatchObject({ code: "ACM-LIS", timezone: "Europe/Lisbon", isOpen: true });
    expect(new Set(records.map((location) => location.code)).size).toBe(10);

    const onePage = await emulator.api(base("locations"), token);
    expect(onePage.body.results).toHaveLength(10);
    expect(onePage.body.cursorNext).toBeNull();
    expect((await emulator.api(`/api/v1/organizations/${ACME}/locations`, token)).body).toHaveLength(10);
  });

  it("leaves globex-spaces at its 2 locations", async () => {
    expect(ids(await emulator.snapshot(GLOBEX, "locations"))).toEqual(DEFAULT_GLOBEX_LOCATION_IDS);
  });

  it("spreads members and companies i mod 10 over all locations", async () => {
    const members = await emulator.snapshot(ACME, "members");
    expect(members.map((member) => member.location)).toEqual(
      members.map((_, index) => locationIds[index % 10]),
    );
    const companies = await emulator.snapshot(ACME, "companies");
    expect(companies.map((company) => company.location)).toEqual(
      companies.map((_, index) => locationIds[index % 10]),
    );
    // Members with a company sit in their company's location.
    const companyLocation = new Map(
      companies.map((company) => [company._id as string, company.location as string]),
    );
    for (const member of members.filter((candidate) => candidate.company !== null))
      expect(companyLocation.get(member.company)).toBe(member.location);
    const state = await emulator.state();
    expect(
      state.organizations[0]?.locations.map((location) => [location.memberCount, location.companyCount]),
    ).toEqual(Array(10).fill([100, 10]));
  });

  it("filters members by location, for every location, over API v2", async () => {
    for (const locationId of locationIds) {
      const { records } = await readAll("members", { location: locationId });
      expect(records).toHaveLength(100);
      expect(new Set(records.map((member) => member.location))).toEqual(new Set([locationId]));
    }
    const pair = locationIds.slice(8, 10);
    const { records } = await readAll("members", { "location[$in]": pair.join(","), status: "active" });
    expect(records.length).toBeGreaterThan(150);
    expect(new Set(records.map((member) => member.location))).toEqual(new Set(pair));
  });
});
