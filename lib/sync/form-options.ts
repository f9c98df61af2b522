// Pure, dependency-free constants shared by the server-side schemas and the client-side forms (kept
// apart from zod so client bundles stay small).

/** OfficeRnD fields that may fill each partner field, default first. */
export const MEMBER_FIELD_SOURCES = {
  name: ["name", "email"],
  email: ["email", "none"],
  company: ["company.name", "billingDetails.billingName", "none"],
  tags: ["tags", "status", "none"],
} as const;

export const COMPANY_FIELD_SOURCES = {
  name: ["name", "billingDetails.billingName"],
  email: ["email", "none"],
  tags: ["tags", "status", "none"],
} as const;

export const SOURCE_LABELS: Record<string, string> = {
  name: "Name",
  email: "Email",
  "company.name": "Company name",
  "billingDetails.billingName": "Billing name",
  tags: "Tags",
  status: "Status",
  none: "Do not copy",
};

/** The statuses a location card offers: active, plus optionally former, pending and drop-in. */
export const OFFERED_MEMBER_STATUSES = ["active", "former", "pending", "drop-in"] as const;

export const STATUS_LABELS: Record<(typeof OFFERED_MEMBER_STATUSES)[number], string> = {
  active: "Active",
  former: "Former",
  pending: "Pending",
  "drop-in": "Drop-in",
};

export type PropertyMapping = { from: string; to: string };

/** Custom property mappings as the form's text: one per line, "key" or "officerndKey=partnerKey". */
export function formatPropertyList(mappings: readonly PropertyMapping[]): string {
  return mappings.map(({ from, to }) => (from === to ? from : `${from}=${to}`)).join("\n");
}
