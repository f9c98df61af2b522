import type { Organization } from "../data/dataset";
import type { Address, CompanyRecord, LocationRecord, MemberRecord } from "../data/records";
import { isoDay } from "../data/timeline";

// Complete records for things created at run time; callers override any field.

const NO_ADDRESS: Address = { country: "", state: "", city: "", street: "", zip: "" };

type TemplateInput = {
  organization: Organization;
  id: string;
  nowMs: number;
  fields: Record<string, unknown>;
};

function locationAddress(organization: Organization, locationId: unknown): Address {
  const location = typeof locationId === "string" ? organization.locations.get(locationId) : undefined;
  return { ...(location?.address ?? NO_ADDRESS) };
}

function firstLocationId(organization: Organization): string | null {
  return organization.locations.scan({}, { direction: "forward" }).next().value?._id ?? null;
}

function stamps(id: string, nowMs: number) {
  const now = new Date(nowMs).toISOString();
  return { _id: id, createdAt: now, modifiedAt: now };
}

export function newMemberRecord({ organization, id, nowMs, fields }: TemplateInput): MemberRecord {
  const location = (fields.location as string | null | undefined) ?? firstLocationId(organization);
  const name = typeof fields.name === "string" ? fields.name : "New Member";
  return {
    name,
    email: `${name.toLowerCase().replace(/[^a-z0-9]+/g, ".")}.${id.slice(-6)}@members.example`,
    phone: null,
    image: null,
    description: "",
    location,
    company: null,
    status: "active",
    startDate: isoDay(nowMs),
    isBillingPerson: true,
    isContactPerson: false,
    address: locationAddress(organization, location),
    billingDetails: {
      billingName: name,
      vatNumber: null,
      registrationNumber: null,
      paymentMethod: null,
      billingAddress: null,
    },
    portalPrivacy: { isVisible: true, showContactDetails: false, showSocialProfiles: false },
    socialProfiles: { linkedin: null, twitter: null, instagram: null, facebook: null },
    properties: {},
    tags: [],
    ...fields,
    ...stamps(id, nowMs),
  };
}

export function newCompanyRecord({ organization, id, nowMs, fields }: TemplateInput): CompanyRecord {
  const location = (fields.location as string | null | undefined) ?? firstLocationId(organization);
  const name = typeof fields.name === "string" ? fields.name : "New Company";
  const address = locationAddress(organization, location);
  return {
    name,
    description: "",
    email: `hello@${name.toLowerCase().replace(/[^a-z0-9]+/g, "-")}-${id.slice(-6)}.example`,
    image: null,
    url: null,
    location,
    status: "active",
    startDate: isoDay(nowMs),
    address,
    billingDetails: { billingName: name, vatNumber: null, registrationNumber: null, billingAddress: address },
    portalPrivacy: { isVisible: true, showContactDetails: true, showSocialProfiles: false },
    hasActiveMembersAllowance: false,
    activeMembersAllowanceLimit: null,
    tags: [],
    properties: {},
    createdBy: organization.adminUserId,
    modifiedBy: organization.adminUserId,
    ...fields,
    ...stamps(id, nowMs),
  };
}

export function newLocationRecord({ id, nowMs, fields }: TemplateInput): LocationRecord {
  const name = typeof fields.name === "string" ? fields.name : "New Location";
  return {
    name,
    address: { ...NO_ADDRESS },
    timezone: "UTC",
    isOpen: true,
    isPublic: true,
    image: null,
    code:
      name
        .replace(/[^A-Za-z]/g, "")
        .slice(0, 3)
        .toUpperCase() || "LOC",
    properties: {},
    targetRevenuePerPeriod: [],
    ...fields,
    ...stamps(id, nowMs),
  };
}
