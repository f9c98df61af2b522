import type { Address } from "./records";

// The two seeded organisations. Their locations are fixed; members and companies are generated.

export type LocationDefinition = {
  name: string;
  code: string;
  timezone: string;
  isOpen: boolean;
  isPublic: boolean;
  address: Address;
  monthlyTarget: number;
};

export type OrganizationDefinition = { number: number; slug: string; name: string; locations: LocationDefinition[] };

export const ORGANIZATIONS: readonly OrganizationDefinition[] = [
  {
    number: 1,
    slug: "acme-coworking",
    name: "Acme Coworking",
    locations: [
      {
        name: "Acme Shoreditch",
        code: "ACM-LON",
        timezone: "Europe/London",
        isOpen: true,
        isPublic: true,
        address: { country: "GB", state: "England", city: "London", street: "12 Rivington Street", zip: "EC2A 3DU" },
        monthlyTarget: 120_000,
      },
      {
        name: "Acme Manchester",
        code: "ACM-MAN",
        timezone: "Europe/London",
        isOpen: true,
        isPublic: true,
        address: { country: "GB", state: "England", city: "Manchester", street: "1 Spinningfields Square", zip: "M3 3AP" },
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
        address: { country: "BG", state: "Sofia City", city: "Sofia", street: "47A Tsarigradsko Shose Blvd", zip: "1124" },
        monthlyTarget: 40_000,
      },
      {
        name: "Globex Lisbon Docks",
        code: "GLX-LIS",
        timezone: "Europe/Lisbon",
        isOpen: true,
        isPublic: true,
        address: { country: "PT", state: "Lisboa", city: "Lisbon", street: "Rua da Cintura do Porto 2", zip: "1200-109" },
        monthlyTarget: 45_000,
      },
    ],
  },
];
