import { newId, type EmulatorContext } from "../context";
import type { Collection } from "../data/collection";
import type { Organization } from "../data/dataset";
import type { BaseRecord } from "../data/records";
import { newCompanyRecord, newLocationRecord, newMemberRecord } from "./record-templates";

// Changes to an organisation's data. Each one bumps modifiedAt and publishes the matching webhook
// event (`member.created`, `company.updated` with previousAttributes, `location.removed`, …).

export const ENTITY_KINDS = ["members", "companies", "locations"] as const;
export type EntityKind = (typeof ENTITY_KINDS)[number];

const EVENT_PREFIX: Record<EntityKind, string> = { members: "member", companies: "company", locations: "location" };

export function eventTypeOf(kind: EntityKind, action: "created" | "updated" | "removed"): string {
  return `${EVENT_PREFIX[kind]}.${action}`;
}

const TEMPLATES = { members: newMemberRecord, companies: newCompanyRecord, locations: newLocationRecord };

/** Fields a caller may never set: identity and timestamps belong to the platform. */
const PROTECTED_FIELDS = new Set(["_id", "createdAt", "modifiedAt"]);

export function collectionOf(organization: Organization, kind: EntityKind): Collection<BaseRecord> {
  return organization[kind] as unknown as Collection<BaseRecord>;
}

function settableFields(fields: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(fields).filter(([key]) => !PROTECTED_FIELDS.has(key)));
}

export function createRecord(
  context: EmulatorContext,
  { organization, kind, fields }: { organization: Organization; kind: EntityKind; fields: Record<string, unknown> },
): BaseRecord {
  const record = TEMPLATES[kind]({ organization, id: newId(context), nowMs: context.clock.nowMs(), fields: settableFields(fields) });
  collectionOf(organization, kind).insert(record);
  context.state.dispatcher.publish({ orgSlug: organization.slug, eventType: eventTypeOf(kind, "created"), object: record });
  return record;
}

export function updateRecord(
  context: EmulatorContext,
  { organization, kind, id, fields }: { organization: Organization; kind: EntityKind; id: string; fields: Record<string, unknown> },
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
  context.state.dispatcher.publish({ orgSlug: organization.slug, eventType: eventTypeOf(kind, "updated"), object: record, previousAttributes });
  return record;
}

export function removeRecord(
  context: EmulatorContext,
  { organization, kind, id }: { organization: Organization; kind: EntityKind; id: string },
): BaseRecord | undefined {
  const removed = collectionOf(organization, kind).remove(id);
  if (removed) context.state.dispatcher.publish({ orgSlug: organization.slug, eventType: eventTypeOf(kind, "removed"), object: removed });
  return removed;
}
