// Record shapes as OfficeRnD's API v2 returns them (spec §4).

export type Address = { country: string; state: string; city: string; street: string; zip: string };

export type BaseRecord = { _id: string; createdAt: string; modifiedAt: string };

export type LocationRecord = BaseRecord & {
  name: string;
  address: Address;
  timezone: string;
  isOpen: boolean;
  isPublic: boolean;
  image: string | null;
  code: string;
  properties: Record<string, unknown>;
  targetRevenuePerPeriod: Array<{ startDate: string; endDate: string; target: number }>;
};

export type CompanyRecord = BaseRecord & {
  name: string;
  description: string;
  email: string;
  image: string | null;
  url: string | null;
  location: string | null;
  status: string;
  startDate: string;
  address: Address;
  billingDetails: {
    billingName: string;
    vatNumber: string | null;
    registrationNumber: string | null;
    billingAddress: Address | null;
  };
  portalPrivacy: { isVisible: boolean; showContactDetails: boolean; showSocialProfiles: boolean };
  hasActiveMembersAllowance: boolean;
  activeMembersAllowanceLimit: number | null;
  tags: string[];
  properties: Record<string, unknown>;
  createdBy: string;
  modifiedBy: string;
};

export type MemberRecord = BaseRecord & {
  name: string;
  email: string;
  phone: string | null;
  image: string | null;
  description: string;
  location: string | null;
  company: string | null;
  status: string;
  startDate: string;
  isBillingPerson: boolean;
  isContactPerson: boolean;
  address: Address;
  billingDetails: {
    billingName: string;
    vatNumber: string | null;
    registrationNumber: string | null;
    paymentMethod: string | null;
    billingAddress: Address | null;
  };
  portalPrivacy: { isVisible: boolean; showContactDetails: boolean; showSocialProfiles: boolean };
  socialProfiles: {
    linkedin: string | null;
    twitter: string | null;
    instagram: string | null;
    facebook: string | null;
  };
  properties: Record<string, unknown>;
  tags: string[];
};

export const MEMBER_STATUSES = [
  "active",
  "former",
  "pending",
  "contact",
  "not_approved",
  "drop-in",
  "lead",
] as const;
export const COMPANY_STATUSES = [
  "active",
  "former",
  "pending",
  "inactive",
  "not_approved",
  "drop-in",
  "lead",
] as const;
