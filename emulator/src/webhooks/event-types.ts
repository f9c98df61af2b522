// Webhook event types OfficeRnD documents (spec §3d). Subscriptions may name any of them; the emulator
// itself emits the member/company/location and integration.removed events.

export const EVENT_TYPES = [
  "company.created",
  "company.updated",
  "company.removed",
  "company.paymentdetails.created",
  "company.paymentdetails.removed",
  "member.created",
  "member.updated",
  "member.removed",
  "member.paymentdetails.created",
  "member.paymentdetails.removed",
  "location.created",
  "location.updated",
  "location.removed",
  "invoice.created",
  "invoice.updated",
  "invoice.removed",
  "invoice.charge.created",
  "invoice.charge.updated",
  "invoice.charge.removed",
  "invoice.allocation.created",
  "invoice.allocation.removed",
  "fee.created",
  "fee.updated",
  "fee.removed",
  "membership.created",
  "membership.updated",
  "membership.removed",
  "booking.created",
  "booking.updated",
  "booking.removed",
  "contract.created",
  "contract.updated",
  "contract.removed",
  "ticket.created",
  "ticket.updated",
  "ticket.removed",
  "integration.removed",
  "pass.created",
  "pass.updated",
  "occupancyslot.created",
  "occupancyslot.removed",
] as const;

export type EventType = (typeof EVENT_TYPES)[number];

const KNOWN = new Set<string>(EVENT_TYPES);

export function isEventType(value: string): value is EventType {
  return KNOWN.has(value);
}
