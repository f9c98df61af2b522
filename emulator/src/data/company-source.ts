import { generatedIdCodec } from "./generated-ids";
import { COMPANY_NOUNS, COMPANY_SUFFIXES, COMPANY_WORDS } from "./names";
import { KIND } from "./object-id";
import type { LocationDefinition } from "./organizations";
import { hash32, pick, pickWeighted, unit } from "./prng";
import type { RecordSource } from "./record-source";
import type { CompanyRecord } from "./records";
import { generatedCreatedAtMs, generatedModifiedAtMs, isoDate, isoDay, MODIFIED_LAG_MS } from "./timeline";

const STATUS_WEIGHTS = [
  ["active", 0.85],
  ["former", 0.08],
  ["pending", 0.04],
  ["drop-in", 0.03],
] as const;

export type GeneratedSourceInput = {
  seed: number;
  org: number;
  count: number;
  /** Generated location ids and definitions, in slot order. */
  locations: ReadonlyArray<{ id: string; definition: LocationDefinition }>;
  adminUserId: string;
};

export function companyName({ seed, org, index }: { seed: number; org: number; index: number }): string {
  // Walk the word grid from a seed-dependent start so names are distinct for the first 200 companies.
  const position = index + (hash32(seed, org, KIND.company) % 200);
  const word = pick(COMPANY_WORDS, position % COMPANY_WORDS.length);
  const noun = pick(COMPANY_NOUNS, Math.floor(position / COMPANY_WORDS.length) % COMPANY_NOUNS.length);
  const round = Math.floor(index / (COMPANY_WORDS.length * COMPANY_NOUNS.length));
  return round === 0 ? `${word} ${noun}` : `${word} ${noun} ${round + 1}`;
}

export function companySource({
  seed,
  org,
  count,
  locations,
  adminUserId,
}: GeneratedSourceInput): RecordSource<CompanyRecord> {
  const hashOf = (index: number, salt: number) => hash32(seed, org, KIND.company, index, salt);
  const createdAtMsOf = (index: number) => generatedCreatedAtMs({ index, count });
  const modifiedAtMsOf = (index: number) =>
    generatedModifiedAtMs({ createdAtMs: createdAtMsOf(index), hash: hashOf(index, 1) });
  const statusOf = (index: number) => pickWeighted(STATUS_WEIGHTS, hashOf(index, 2));
  const { idOf, indexOf } = generatedIdCodec({
    tag: { seed, org, kind: KIND.company },
    count,
    createdAtMsOf,
  });
  return {
    count,
    slotIds: locations.map((location) => location.id),
    maxModifiedLagMs: MODIFIED_LAG_MS,
    idOf,
    indexOf,
    traitsOf: (index) => ({
      status: statusOf(index),
      createdAtMs: createdAtMsOf(index),
      modifiedAtMs: modifiedAtMsOf(index),
    }),
    build: (index) => {
      const location = locations[index % locations.length];
      const name = companyName({ seed, org, index });
      const domain = `${name.toLowerCase().replace(/[^a-z0-9]+/g, "-")}.example`;
      const suffix = pick(COMPANY_SUFFIXES, hashOf(index, 3));
      const hasAllowance = unit(hashOf(index, 4)) < 0.3;
      const address = {
        ...(location?.definition.address ?? { country: "", state: "", city: "", street: "", zip: "" }),
      };
      return {
        _id: idOf(index),
        name,
        description: `${name} works from ${location?.definition.name ?? "a remote office"}.`,
        email: `hello@${domain}`,
        image: null,
        url: `https://www.${domain}`,
        location: location?.id ?? null,
        status: statusOf(index),
        startDate: isoDay(createdAtMsOf(index)),
        address,
        billingDetails: {
          billingName: `${name} ${suffix}`,
          vatNumber:
            unit(hashOf(index, 5)) < 0.5 ? `GB${100_000_000 + (hashOf(index, 6) % 899_999_999)}` : null,
          registrationNumber: null,
          billingAddress: address,
        },
        portalPrivacy: {
          isVisible: true,
          showContactDetails: unit(hashOf(index, 7)) < 0.7,
          showSocialProfiles: false,
        },
        hasActiveMembersAllowance: hasAllowance,
        activeMembersAllowanceLimit: hasAllowance ? 5 + (hashOf(index, 8) % 20) : null,
        tags: unit(hashOf(index, 9)) < 0.2 ? ["enterprise"] : [],
        properties: {},
        createdAt: isoDate(createdAtMsOf(index)),
        createdBy: adminUserId,
        modifiedAt: isoDate(modifiedAtMsOf(index)),
        modifiedBy: adminUserId,
      };
    },
  };
}
