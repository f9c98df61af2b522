import { extraLocationDefinition } from "./extra-locations";
import type { Address } from "./records";

// The two seeded organisations. Members and companies are generated; locations are fixed, except that
// an organisation with `extraLocations` takes its location count from `--locations` (default: its
// fixed list), keeping a prefix of the fixed list or generating more after it.

export type LocationDefinition = {
  name: string;
  code: string;
  timezone: string;
  isOpen: boolean;
  isPublic: boolean;
  address: Address;
  monthlyTarget: number;
};

export type OrganizationDefinition = {
  number: number;
  slug: string;
  name: string;
  locations: LocationDefinition[];
  /** Set when `--locations` applies: the brand and code prefix of generated locations. */
  extraLocations?: { brand: string; codePrefix: string };
};

/** Upper bound of `--locations`; keeps every location's createdAt well before the generated-data cutoff. */
export const MAX_LOCATIONS = 200;

export const ORGANIZATIONS: readonly OrganizationDefinition[] = [
  {
    number: 1,
    slug: "acme-coworking",
    name: "Acme Coworking",
    extraLocations: { brand: "Acme", codePrefix: "ACM" },
    locations: [
      {
        name: "Acme Shoreditch",
        code: "ACM-LON",
        timezone: "Europe/London",
        isOpen: true,
        isPublic: true,
        address: {
          country: "GB",
          state: "England",
          city: "London",
          street: "12 Rivington Street",
          zip: "EC2A 3DU",
        },
        monthlyTarget: 120_000,
      },
      {
        name: "Acme Manchester",
        code: "ACM-MAN",
        timezone: "Europe/London",
        isOpen: true,
        isPublic: true,
        address: {
          country: "GB",
          state: "England",
          city: "Manchester",
          street: "1 Spinningfields Square",
          zip: "M3 3AP",
        },
        monthlyTarget: 60_000,
      },
      {
        name: "Acme Berlin Mitte",
        code: "ACM-BER",
        timezone: "Europe/Berlin",
        isOpen: true,
        isPublic: false,
        address: { country: "DE", state: "Berlin", city: "Berlin", street: "Torstraße 109", zip: "10119" },
        monthlyTarget: 80_000,
      },
      {
        name: "Acme New York SoHo",
        code: "ACM-NYC",
        timezone: "America/New_York",
        isOpen: false,
        isPublic: true,
        address: { country: "US", state: "NY", city: "New York", street: "427 Broadway", zip: "10013" },
        monthlyTarget: 150_000,
      },
    ],
  },
  {
    number: 2,
    slug: "globex-spaces",
    name: "Globex Spaces",
    locations: [
      {
        name: "Globex Sofia Center",
        code: "GLX-SOF",
        timezone: "Europe/Sofia",
        isOpen: true,
        isPublic: true,
        address: {
          country: "BG",
          state: "Sofia City",
          city: "Sofia",
          street: "47A Tsarigradsko Shose Blvd",
          zip: "1124",
        },
        monthlyTarget: 40_000,
      },
      {
        name: "Globex Lisbon Docks",
        code: "GLX-LIS",
        timezone: "Europe/Lisbon",
        isOpen: true,
        isPublic: true,
        address: {
          country: "PT",
          state: "Lisboa",
          city: "Lisbon",
          street: "Rua da Cintura do Porto 2",
          zip: "1200-109",
        },
        monthlyTarget: 45_000,
      },
    ],
  },
];

/** The organisation's location definitions for `--locations count` (undefined = its fixed list). */
export function locationDefinitions(
  definition: OrganizationDefinition,
  count: number | undefined,
): LocationDefinition[] {
  const fixed = definition.locations;
  const brand = definition.extraLocations;
  if (!brand || count === undefined) return fixed;
  if (count <= fixed.length) return fixed.slice(0, count);
  const extras = Array.from({ length: count - fixed.length }, (_, extra) =>
    extraLocationDefinition({ ...brand, extra }),
  );
  return [...fixed, ...extras];
}
