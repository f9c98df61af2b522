import { companyName, type GeneratedSourceInput } from "./company-source";
import { generatedIdCodec } from "./generated-ids";
import { FIRST_NAMES, LAST_NAMES, MEMBER_TAGS } from "./names";
import { KIND } from "./object-id";
import { hash32, pick, pickWeighted, unit } from "./prng";
import type { RecordSource } from "./record-source";
import type { MemberRecord } from "./records";
import { generatedCreatedAtMs, generatedModifiedAtMs, isoDate, isoDay, MODIFIED_LAG_MS } from "./timeline";

const STATUS_WEIGHTS = [
  ["active", 0.85],
  ["former", 0.07],
  ["pending", 0.05],
  ["drop-in", 0.03],
] as const;

/**
 * Members of one organisation. Member `i` sits in location slot `i % L`; four in five belong to a
 * company of the same location (companies follow the same slot rule), found by arithmetic.
 */
export function memberSource({
  companies,
  companyIdOf,
  ...input
}: GeneratedSourceInput & {
  companies: number;
  companyIdOf: (index: number) => string;
}): RecordSource<MemberRecord> {
  const { seed, org, count, locations } = input;
  const slots = locations.length;
  const hashOf = (index: number, salt: number) => hash32(seed, org, KIND.member, index, salt);
  const createdAtMsOf = (index: number) => generatedCreatedAtMs({ index, count });
  const modifiedAtMsOf = (index: number) =>
    generatedModifiedAtMs({ createdAtMs: createdAtMsOf(index), hash: hashOf(index, 1) });
  const statusOf = (index: number) => pickWeighted(STATUS_WEIGHTS, hashOf(index, 2));
  const { idOf, indexOf } = generatedIdCodec({ tag: { seed, org, kind: KIND.member }, count, createdAtMsOf });

  const companyIndexOf = (index: number): number | undefined => {
    const slot = index % slots;
    const companiesInSlot = companies > slot ? Math.floor((companies - 1 - slot) / slots) + 1 : 0;
    if (companiesInSlot === 0 || unit(hashOf(index, 3)) >= 0.8) return undefined;
    return slot + slots * (hashOf(index, 4) % companiesInSlot);
  };

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
      const location = locations[index % slots];
      const first = pick(FIRST_NAMES, hashOf(index, 5));
      const last = pick(LAST_NAMES, hashOf(index, 6));
      const name = `${first} ${last}`;
      const handle = `${first}.${last}`.toLowerCase();
      const companyIndex = companyIndexOf(index);
      const company = companyIndex === undefined ? null : companyName({ seed, org, index: companyIndex });
      const tagHash = hashOf(index, 7);
      return {
        _id: idOf(index),
        name,
        email: `${handle}.${index + 1}@${company ? `${company.toLowerCase().replace(/[^a-z0-9]+/g, "-")}.example` : "members.example"}`,
        phone:
          unit(hashOf(index, 8)) < 0.85
            ? `+44 7700 ${String(900_000 + (hashOf(index, 9) % 100_000)).padStart(6, "0")}`
            : null,
        image: null,
        description: "",
        location: location?.id ?? null,
        company: companyIndex === undefined ? null : companyIdOf(companyIndex),
        status: statusOf(index),
        startDate: isoDay(createdAtMsOf(index)),
        isBillingPerson: companyIndex === undefined || unit(hashOf(index, 10)) < 0.1,
        isContactPerson: unit(hashOf(index, 11)) < 0.1,
        address: {
          ...(location?.definition.address ?? { country: "", state: "", city: "", street: "", zip: "" }),
        },
        billingDetails: {
          billingName: name,
          vatNumber: null,
          registrationNumber: null,
          paymentMethod: unit(hashOf(index, 12)) < 0.6 ? "card" : "bank-transfer",
          billingAddress: null,
        },
        portalPrivacy: {
          isVisible: unit(hashOf(index, 13)) < 0.9,
          showContactDetails: unit(hashOf(index, 14)) < 0.5,
          showSocialProfiles: unit(hashOf(index, 15)) < 0.5,
        },
        socialProfiles: {
          linkedin: `https://www.linkedin.com/in/${handle.replace(".", "-")}-${index + 1}`,
          twitter: null,
          instagram: null,
          facebook: null,
        },
        properties:
          unit(hashOf(index, 16)) < 0.25 ? { favouriteDesk: `D${1 + (hashOf(index, 17) % 80)}` } : {},
        tags: unit(tagHash) < 0.15 ? [pick(MEMBER_TAGS, tagHash >>> 4)] : [],
        createdAt: isoDate(createdAtMsOf(index)),
        modifiedAt: isoDate(modifiedAtMsOf(index)),
      };
    },
  };
}
