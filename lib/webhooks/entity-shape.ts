import type { CompanyRecord, LocationRecord, MemberRecord } from "@/lib/officernd/v2-schemas";
import type { EntityKind } from "@/lib/sync/mapping";

// Pure: reads a member, company or location document of either API generation (v1 `office`/`team`, v2
// `location`/`company`) into the one model. A document is complete only when every field the copy needs
// is there with the right type; otherwise the issues are listed by path and the caller re-reads the
// record instead of guessing. A missing field never means "deleted".

export type ShapeIssue = { path: string; problem: string };
export type Generation = "v1" | "v2";
export type ModelRecord = LocationRecord | CompanyRecord | MemberRecord;

export type ShapeResult =
  { ok: true; generation: Generation; record: ModelRecord } | { ok: false; issues: ShapeIssue[] };

export type ShapeOptions = {
  /** Prefix of every issue path, e.g. `data.object` for a webhook body. */
  path?: string;
  /** An API read omits an empty company (absent = none); a webhook object omitting it may be partial. */
  isCompanyOptional?: boolean;
};

type Fields = Record<string, unknown>;

function typeName(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value;
}

/** An id given as a string, or as a populated reference `{_id}` (v1's `$populate`). */
function idOf(value: unknown): string | null | undefined {
  if (typeof value === "string" && value !== "") return value;
  if (value !== null && typeof value === "object" && !Array.isArray(value)) {
    const id = (value as Fields)._id;
    if (typeof id === "string" && id !== "") return id;
  }
  return undefined;
}

export function readEntityShape(kind: EntityKind, input: unknown, options: ShapeOptions = {}): ShapeResult {
  const at = (field: string) => (options.path ? `${options.path}.${field}` : field);
  if (input === null || typeof input !== "object" || Array.isArray(input)) {
    return {
      ok: false,
      issues: [{ path: options.path ?? "", problem: `expected an object, got ${typeName(input)}` }],
    };
  }
  const fields = input as Fields;
  const issues: ShapeIssue[] = [];
  const wrongType = (field: string, expected: string) =>
    issues.push({ path: at(field), problem: `expected ${expected}, got ${typeName(fields[field])}` });
  const missing = (field: string, detail = "missing") => issues.push({ path: at(field), problem: detail });

  const id = fields._id;
  if (typeof id !== "string" || id === "") wrongType("_id", "a non-empty string");
  const name = fields.name;
  if (name === undefined) missing("name");
  else if (typeof name !== "string") wrongType("name", "a string");
  const modifiedAt = fields.modifiedAt;
  if (modifiedAt === undefined) missing("modifiedAt");
  else if (typeof modifiedAt !== "string" || Number.isNaN(Date.parse(modifiedAt)))
    wrongType("modifiedAt", "an ISO date");

  let generation: Generation = "v2";
  let location: string | null = null;
  let company: string | null = null;
  let status: string | null = null;
  let email: string | null = null;

  if (kind !== "locations") {
    // `location: null` is a statement (in no location), not a gap: it is out of scope like any other.
    const located = readReference(fields, { v2: "location", v1: "office" }, { isNullable: true });
    if (located.kind === "missing") missing("location", "missing (neither location nor office)");
    else if (located.kind === "wrong") wrongType(located.field, "an id or null");
    else {
      location = located.id;
      if (located.field === "office") generation = "v1";
    }
    if (typeof fields.status !== "string" || fields.status === "") {
      if (fields.status === undefined) missing("status");
      else wrongType("status", "a non-empty string");
    } else status = fields.status;
    if (fields.email !== undefined && fields.email !== null && typeof fields.email !== "string")
      wrongType("email", "a string or null");
    else email = (fields.email as string | null | undefined) ?? null;
  }

  if (kind === "members") {
    const belongs = readReference(fields, { v2: "company", v1: "team" }, { isNullable: true });
    if (belongs.kind === "missing" && !options.isCompanyOptional)
      missing("company", "missing (neither company nor team)");
    else if (belongs.kind === "wrong") wrongType(belongs.field, "an id or null");
    else if (belongs.kind === "found") {
      company = belongs.id;
      if (belongs.field === "team") generation = "v1";
    }
  }

  if (issues.length > 0) return { ok: false, issues };
  const base = {
    ...fields,
    _id: id as string,
    name: name as string,
    modifiedAt: new Date(Date.parse(modifiedAt as string)).toISOString(),
  };
  if (kind === "locations") return { ok: true, generation, record: base as LocationRecord };
  if (kind === "companies")
    return { ok: true, generation, record: { ...base, location, status, email } as CompanyRecord };
  return { ok: true, generation, record: { ...base, location, company, status, email } as MemberRecord };
}

type Reference =
  | { kind: "found"; field: string; id: string | null }
  | { kind: "wrong"; field: string }
  | { kind: "missing" };

/** The v2 field wins when both are present; `null` is a value only where the reference is optional. */
function readReference(
  fields: Fields,
  names: { v2: string; v1: string },
  { isNullable = false } = {},
): Reference {
  for (const field of [names.v2, names.v1]) {
    if (!(field in fields) || fields[field] === undefined) continue;
    const value = fields[field];
    if (value === null && isNullable) return { kind: "found", field, id: null };
    const id = idOf(value);
    return id === undefined ? { kind: "wrong", field } : { kind: "found", field, id };
  }
  return { kind: "missing" };
}

/** `data.object.location: missing; data.object.status: expected …` — for logs and the event's detail. */
export function describeIssues(issues: readonly ShapeIssue[]): string {
  return issues.map((issue) => `${issue.path}: ${issue.problem}`).join("; ");
}
