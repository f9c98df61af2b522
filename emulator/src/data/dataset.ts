import { Collection } from "./collection";
import { companySource } from "./company-source";
import { locationSource } from "./location-source";
import { memberSource } from "./member-source";
import { generatedId, generatedIdPrefixTag, KIND } from "./object-id";
import { locationDefinitions, ORGANIZATIONS, type OrganizationDefinition } from "./organizations";
import type { CompanyRecord, LocationRecord, MemberRecord } from "./records";

export type Organization = {
  _id: string;
  slug: string;
  name: string;
  createdAt: string;
  /** The admin who adds integrations and opens their pages; sent as `memberId` on Configure. */
  adminUserId: string;
  locations: Collection<LocationRecord>;
  companies: Collection<CompanyRecord>;
  members: Collection<MemberRecord>;
};

export type DatasetSize = {
  seed: number;
  members: number;
  companies: number;
  /** Locations of acme-coworking (`--locations`); undefined = its four fixed ones. globex-spaces keeps 2. */
  locations?: number;
};

export type Dataset = DatasetSize & { organizations: Map<string, Organization> };

const ORGANIZATION_CREATED_MS = Date.UTC(2018, 0, 15);

function fixedId({
  seed,
  org,
  kind,
}: {
  seed: number;
  org: number;
  kind: (typeof KIND)["organization"] | (typeof KIND)["user"];
}): string {
  return generatedId({
    seconds: ORGANIZATION_CREATED_MS / 1000,
    tag: generatedIdPrefixTag({ seed, org, kind }),
    index: 0,
  });
}

function createOrganization(definition: OrganizationDefinition, size: DatasetSize): Organization {
  const { seed } = size;
  const org = definition.number;
  const adminUserId = fixedId({ seed, org, kind: KIND.user });
  const definitions = locationDefinitions(definition, size.locations);
  const locations = new Collection(locationSource({ seed, organization: definition, definitions }));
  const generatedLocations = definitions.map((locationDefinition, index) => ({
    id: locations.source.idOf(index),
    definition: locationDefinition,
  }));
  const companySourceInput = { seed, org, count: size.companies, locations: generatedLocations, adminUserId };
  const companies = new Collection(companySource(companySourceInput));
  const members = new Collection(
    memberSource({
      ...companySourceInput,
      count: size.members,
      companies: size.companies,
      companyIdOf: (index) => companies.source.idOf(index),
    }),
  );
  return {
    _id: fixedId({ seed, org, kind: KIND.organization }),
    slug: definition.slug,
    name: definition.name,
    createdAt: new Date(ORGANIZATION_CREATED_MS).toISOString(),
    adminUserId,
    locations,
    companies,
    members,
  };
}

/** Builds both organisations; `members` and `companies` are counts per organisation. Costs O(1) memory. */
export function createDataset(size: DatasetSize): Dataset {
  const organizations = new Map(
    ORGANIZATIONS.map((definition) => [definition.slug, createOrganization(definition, size)] as const),
  );
  return { ...size, organizations };
}
