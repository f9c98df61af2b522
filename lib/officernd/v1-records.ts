// API v1 records in the one model (the v2 field names, lib/officernd/v2-schemas.ts). v1 members carry
// their location as `office` and their company as `team`; v1 companies carry `office` (spec, addendum).
// A reference may also come populated (`{_id, name}`); only its id is kept. Pure.

import type { RecordKind } from "@/lib/officernd/v2-schemas";

function refId(value: unknown): unknown {
  if (
    value &&
    typeof value === "object" &&
    !Array.isArray(value) &&
    typeof (value as { _id?: unknown })._id === "string"
  )
    return (value as { _id: string })._id;
  return value;
}

const RENAMES: Record<RecordKind, Record<string, string>> = {
  locations: {},
  companies: { office: "location" },
  members: { office: "location", team: "company" },
};

/** v1 field names renamed to v2's (a field v2 already names wins); a non-object is left for the schema. */
export function normalizeRecord(kind: RecordKind, raw: unknown): unknown {
  if (!raw || typeof raw !== "object" || Array.isArray(raw)) return raw;
  const record: Record<string, unknown> = { ...(raw as Record<string, unknown>) };
  for (const [v1Name, v2Name] of Object.entries(RENAMES[kind])) {
    if (!(v1Name in record)) continue;
    if (record[v2Name] === undefined) record[v2Name] = refId(record[v1Name]);
    delete record[v1Name];
  }
  for (const field of ["location", "company"]) if (field in record) record[field] = refId(record[field]);
  return record;
}
