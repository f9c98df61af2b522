import type { LocationDefinition } from "./organizations";
import type { Address } from "./records";

// Locations past an organisation's fixed ones (`--locations N` above 4 for acme-coworking). They are a
// pure function of their position, never of the seed, like the fixed ones: the location at index 4 is always
// "Acme Lisbon". Once the city list runs out the names repeat with a round number ("Acme Lisbon 2").

type City = { code: string; timezone: string; address: Address };

const CITIES: readonly City[] = [
  {
    code: "LIS",
    timezone: "Europe/Lisbon",
    address: {
      country: "PT",
      state: "Lisboa",
      city: "Lisbon",
      street: "Avenida da Liberdade 110",
      zip: "1269-046",
    },
  },
  {
    code: "PAR",
    timezone: "Europe/Paris",
    address: {
      country: "FR",
      state: "Île-de-France",
      city: "Paris",
      street: "18 Rue du Faubourg du Temple",
      zip: "75011",
    },
  },
  {
    code: "AMS",
    timezone: "Europe/Amsterdam",
    address: {
      country: "NL",
      state: "Noord-Holland",
      city: "Amsterdam",
      street: "Keizersgracht 241",
      zip: "1016 EA",
    },
  },
  {
    code: "MAD",
    timezone: "Europe/Madrid",
    address: { country: "ES", state: "Madrid", city: "Madrid", street: "Calle de Alcalá 21", zip: "28014" },
  },
  {
    code: "DUB",
    timezone: "Europe/Dublin",
    address: {
      country: "IE",
      state: "Leinster",
      city: "Dublin",
      street: "2 Grand Canal Square",
      zip: "D02 A342",
    },
  },
  {
    code: "STO",
    timezone: "Europe/Stockholm",
    address: { country: "SE", state: "Stockholm", city: "Stockholm", street: "Sveavägen 44", zip: "111 34" },
  },
  {
    code: "WAW",
    timezone: "Europe/Warsaw",
    address: { country: "PL", state: "Mazowieckie", city: "Warsaw", street: "ul. Prosta 20", zip: "00-850" },
  },
  {
    code: "MIL",
    timezone: "Europe/Rome",
    address: { country: "IT", state: "Lombardia", city: "Milan", street: "Via Tortona 31", zip: "20144" },
  },
  {
    code: "AUS",
    timezone: "America/Chicago",
    address: { country: "US", state: "TX", city: "Austin", street: "600 Congress Avenue", zip: "78701" },
  },
  {
    code: "TOR",
    timezone: "America/Toronto",
    address: { country: "CA", state: "ON", city: "Toronto", street: "155 Queens Quay East", zip: "M5A 0N4" },
  },
  {
    code: "SIN",
    timezone: "Asia/Singapore",
    address: {
      country: "SG",
      state: "Singapore",
      city: "Singapore",
      street: "71 Robinson Road",
      zip: "068895",
    },
  },
  {
    code: "SYD",
    timezone: "Australia/Sydney",
    address: { country: "AU", state: "NSW", city: "Sydney", street: "1 Bligh Street", zip: "2000" },
  },
  {
    code: "TYO",
    timezone: "Asia/Tokyo",
    address: {
      country: "JP",
      state: "Tokyo",
      city: "Tokyo",
      street: "1-1-2 Oshiage, Sumida-ku",
      zip: "131-0045",
    },
  },
  {
    code: "DXB",
    timezone: "Asia/Dubai",
    address: { country: "AE", state: "Dubai", city: "Dubai", street: "Sheikh Zayed Road 1", zip: "00000" },
  },
  {
    code: "SAO",
    timezone: "America/Sao_Paulo",
    address: {
      country: "BR",
      state: "SP",
      city: "São Paulo",
      street: "Avenida Paulista 1374",
      zip: "01310-100",
    },
  },
  {
    code: "VIE",
    timezone: "Europe/Vienna",
    address: { country: "AT", state: "Wien", city: "Vienna", street: "Mariahilfer Straße 77", zip: "1060" },
  },
];

/** Definition of extra location `extra` (0 = the first one past the fixed list). */
export function extraLocationDefinition({
  brand,
  codePrefix,
  extra,
}: {
  brand: string;
  codePrefix: string;
  extra: number;
}): LocationDefinition {
  const city = CITIES[extra % CITIES.length];
  if (!city) throw new Error("no cities");
  const round = Math.floor(extra / CITIES.length);
  const suffix = round === 0 ? "" : String(round + 1);
  return {
    name: `${brand} ${city.address.city}${suffix ? ` ${suffix}` : ""}`,
    code: `${codePrefix}-${city.code}${suffix}`,
    timezone: city.timezone,
    isOpen: true,
    // One in five is unlisted, so filters on isPublic still have something to find.
    isPublic: extra % 5 !== 4,
    address: { ...city.address },
    monthlyTarget: 50_000 + 10_000 * (extra % 6),
  };
}
