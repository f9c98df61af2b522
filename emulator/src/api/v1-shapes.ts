import type { EntityKind } from "../activity/mutations";

// API v1 ("Hybrid") names for the fields v2 renamed (spec addendum, CONFIRMED 3rd-party v1 payloads):
// members carry the location as `office` and the company as `team`; companies carry `office`.

const V1_NAMES: Record<EntityKind, Readonly<Record<string, string>>> = {
  members: { location: "office", company: "team" },
  companies: { location: "office" },
  locations: {},
};

/** The record (or previousAttributes) with v2 field names renamed to v1's, in the same key order. */
export function toV1Shape(kind: EntityKind, record: object): Record<string, unknown> {
  const names = V1_NAMES[kind];
  return Object.fromEntries(Object.entries(record).map(([key, value]) => [names[key] ?? key, value]));
}

/** A v1 query's filter names in v2 terms (`office` → `location`, `team` → `company`, `office[$in]` too). */
export function fromV1FilterName(kind: EntityKind, name: string): string {
  const names = V1_NAMES[kind];
  for (const [v2, v1] of Object.entries(names)) {
    if (name === v1) return v2;
    if (name.startsWith(`${v1}[`)) return `${v2}${name.slice(v1.length)}`;
  }
  return name;
}
