import { generatedIdCodec } from "./generated-ids";
import { KIND } from "./object-id";
import type { LocationDefinition, OrganizationDefinition } from "./organizations";
import { hash32 } from "./prng";
import type { RecordSource } from "./record-source";
import type { LocationRecord } from "./records";
import { generatedModifiedAtMs, isoDate, isoDay, MODIFIED_LAG_MS } from "./timeline";

const LOCATIONS_FROM_MS = Date.UTC(2018, 2, 1);
const DAY_MS = 86_400_000;
// The first four locations keep the 45-day spacing their ids were minted with; later ones (--locations)
// come a week apart, so even MAX_LOCATIONS of them were created long before the generated-data cutoff.
const WIDE_SPACED = 4;
const WIDE_SPACING_MS = 45 * DAY_MS;
const NARROW_SPACING_MS = 7 * DAY_MS;

function createdAtMsOf(index: number): number {
  if (index < WIDE_SPACED) return LOCATIONS_FROM_MS + index * WIDE_SPACING_MS;
  return LOCATIONS_FROM_MS + WIDE_SPACED * WIDE_SPACING_MS + (index - WIDE_SPACED) * NARROW_SPACING_MS;
}

export function locationSource({
  seed,
  organization,
  definitions,
}: {
  seed: number;
  organization: OrganizationDefinition;
  definitions: readonly LocationDefinition[];
}): RecordSource<LocationRecord> {
  const modifiedAtMsOf = (index: number) =>
    generatedModifiedAtMs({
      createdAtMs: createdAtMsOf(index),
      hash: hash32(seed, organization.number, KIND.location, index),
    });
  const { idOf, indexOf } = generatedIdCodec({
    tag: { seed, org: organization.number, kind: KIND.location },
    count: definitions.length,
    createdAtMsOf,
  });
  return {
    count: definitions.length,
    slotIds: [],
    maxModifiedLagMs: MODIFIED_LAG_MS,
    idOf,
    indexOf,
    traitsOf: (index) => ({
      status: null,
      createdAtMs: createdAtMsOf(index),
      modifiedAtMs: modifiedAtMsOf(index),
    }),
    build: (index) => {
      const definition = definitions[index];
      if (!definition) throw new Error(`no location ${index}`);
      const yearStart = Date.UTC(2025, 0, 1);
      return {
        _id: idOf(index),
        name: definition.name,
        address: { ...definition.address },
        timezone: definition.timezone,
        isOpen: definition.isOpen,
        isPublic: definition.isPublic,
        image: `//cdn.officernd.example/${organization.slug}/locations/${definition.code.toLowerCase()}.jpg`,
        code: definition.code,
        properties: { floorCount: 2 + (index % 3) },
        targetRevenuePerPeriod: [
          {
            startDate: isoDay(yearStart),
            endDate: isoDay(Date.UTC(2025, 11, 31)),
            target: definition.monthlyTarget * 12,
          },
        ],
        createdAt: isoDate(createdAtMsOf(index)),
        modifiedAt: isoDate(modifiedAtMsOf(index)),
      };
    },
  };
}
