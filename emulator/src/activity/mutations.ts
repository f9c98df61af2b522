import { toV1Shape } from "../api/v1-shapes";
import { newId, profile, type EmulatorContext } from "../context";
import type { Collection } from "../data/collection";
import type { Organization } from "../data/dataset";
import type { BaseRecord } from "../data/records";
import { newCompanyRecord, newLocationRecord, newMemberRecord } from "./record-templates";

// Changes to an organisation's data. Each one bumps modifiedAt and publishes the matching webhook
// event (`member.created`, `company.updated` with previousAttributes, `location.removed`, …).

export const ENTITY_KINDS = ["members", "companies", "locations"] as const;
export type EntityKind = (typeof ENTITY_KINDS)[number];

const EVENT_PREFIX: Record<EntityKind, string> = {
  members: "member",
  companies: "company",
  locations: "location",
};

export function eventTypeOf(kind: EntityKind, action: "created" | "updated" | "removed"): string {
  return `${EVENT_PREFIX[kind]}.${action}`;
}

const TEMPLATES = { members: newMemberRecord, companies: newCompanyRecord, locations: newLocationRecord };

/** Fields a caller may never set: identity and timestamps belong to the platform. */
const PROTECTED_FIELDS = new Set(["_id", "createdAt", "modifiedAt"]);

export function collectionOf(organization: Organization, kind: EntityKind): Collection<BaseRecord> {
  return organization[kind] as unknown as Collection<BaseRecord>;
}

/**
 * Publishes a record event. `data.object` (and previousAttributes) use v2 field names, or v1's
 * (`office`, `team`) under the v1-only and v1-webhooks profiles: which one OfficeRnD sends is unconfirmed.
 */
function publishRecordEvent(
  context: EmulatorContext,
  {
    organization,
    kind,
    action,
    record,
    previousAttributes,
  }: {
    organization: Organization;
    kind: EntityKind;
    action: "created" | "updated" | "removed";
    record: BaseRecord;
    previousAttributes?: Record<string, unknown>;
  },
): void {
  const isV1 = profile(context).webhookObjects === "v1";
  context.state.dispatcher.publish({
    orgSlug: organization.slug,
    eventType: eventTypeOf(kind, action),
    object: isV1 ? toV1Shape(kind, record) : record,
    ...(previousAttributes
      ? { previousAttributes: isV1 ? toV1Shape(kind, previousAttributes) : previousAttributes }
      : {}),
  });
}

function settableFields(fields: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(fields).filter(([key]) => !PROTECTED_FIELDS.has(key)));
}

export function createRecord(
  context: EmulatorContext,
  {
    organization,
    kind,
    fields,
  }: { organization: Organization; kind: EntityKind; fields: Record<string, unknown> },
): BaseRecord {
  const record = TEMPLATES[kind]({
    organization,
    id: newId(context),
    nowMs: context.clock.nowMs(),
    fields: settableFields(fields),
  });
  collectionOf(organization, kind).insert(record);
  publishRecordEvent(context, { organization, kind, action: "created", record });
  return record;
}

export function updateRecord(
  context: EmulatorContext,
  {
    organization,
    kind,
    id,
    fields,
  }: { organization: Organization; kind: EntityKind; id: string; fields: Record<string, unknown> },
): BaseRecord | undefined {
  const collection = collectionOf(organization, kind);
  const previous = collection.get(id);
  if (!previous) return undefined;
  const record = { ...previous, ...settableFields(fields), modifiedAt: context.clock.nowIso() };
  collection.replace(record);
  const before = previous as unknown as Record<string, unknown>;
  const after = record as unknown as Record<string, unknown>;
  const previousAttributes = Object.fromEntries(
    Object.keys(after)
      .filter((key) => JSON.stringify(before[key]) !== JSON.stringify(after[key]))
      .map((key) => [key, before[key] ?? null]),
  );
  publishRecordEvent(context, { organization, kind, action: "updated", record, previousAttributes });
  return record;
}

export function removeRecord(
  context: EmulatorContext,
  { organization, kind, id }: { organization: Organization; kind: EntityKind; id: string },
): BaseRecord | undefined {
  const removed = collectionOf(organization, kind).remove(id);
  if (removed) publishRecordEvent(context, { organization, kind, action: "removed", record: removed });
  return removed;
}
