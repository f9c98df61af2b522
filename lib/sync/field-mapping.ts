import { z } from "zod";
import { COMPANY_FIELD_SOURCES, MEMBER_FIELD_SOURCES, type PropertyMapping } from "@/lib/sync/form-options";

// Pure: which OfficeRnD field fills each of the partner platform's fields, per location. Stored beside
// the sync settings in InstallationLocation.settings under `fieldMapping`; lib/sync writes what
// `mapMember`/`mapCompany` make of a document into the copy.

const PROPERTY_KEY = /^[A-Za-z][\w.-]{0,63}$/;
const MAX_PROPERTIES = 20;

const properties = z
  .array(z.object({ from: z.string().regex(PROPERTY_KEY), to: z.string().regex(PROPERTY_KEY) }))
  .max(MAX_PROPERTIES);

export const fieldMappingSchema = z.object({
  member: z.object({
    name: z.enum(MEMBER_FIELD_SOURCES.name),
    email: z.enum(MEMBER_FIELD_SOURCES.email),
    company: z.enum(MEMBER_FIELD_SOURCES.company),
    tags: z.enum(MEMBER_FIELD_SOURCES.tags),
    properties,
  }),
  company: z.object({
    name: z.enum(COMPANY_FIELD_SOURCES.name),
    email: z.enum(COMPANY_FIELD_SOURCES.email),
    tags: z.enum(COMPANY_FIELD_SOURCES.tags),
    properties,
  }),
});

export type FieldMapping = z.infer<typeof fieldMappingSchema>;

/** Same-named fields map to each other; custom properties are opt-in. */
export const DEFAULT_FIELD_MAPPING: FieldMapping = {
  member: { name: "name", email: "email", company: "company.name", tags: "tags", properties: [] },
  company: { name: "name", email: "email", tags: "tags", properties: [] },
};

/** Lenient: anything invalid gives the defaults for that entity. */
export function parseFieldMapping(settings: unknown): FieldMapping {
  const stored = isRecord(settings) && isRecord(settings.fieldMapping) ? settings.fieldMapping : {};
  const member = fieldMappingSchema.shape.member.safeParse(stored.member);
  const company = fieldMappingSchema.shape.company.safeParse(stored.company);
  return {
    member: member.success ? member.data : DEFAULT_FIELD_MAPPING.member,
    company: company.success ? company.data : DEFAULT_FIELD_MAPPING.company,
  };
}

/** Partner fields a custom property may not fill: they are filled by the mapping's own choices. */
const RESERVED_TARGETS = new Set(["name", "email", "company", "tags"]);

export type FieldMappingIssue = { field: string; message: string };

/**
 * What makes a well-formed mapping unusable, keyed by form field: a name taken from an email the mapping
 * says not to copy, a custom property overwriting a standard field.
 */
export function fieldMappingIssues(mapping: FieldMapping): FieldMappingIssue[] {
  const issues: FieldMappingIssue[] = [];
  if (mapping.member.name === "email" && mapping.member.email === "none") {
    issues.push({
      field: "member.name",
      message: "Name comes from Email, but Email is set to “Do not copy”: copy Email or take Name from Name.",
    });
  }
  for (const entity of ["member", "company"] as const) {
    const reserved = mapping[entity].properties.find(({ to }) => RESERVED_TARGETS.has(to));
    if (reserved) {
      issues.push({
        field: `${entity}.properties`,
        message: `"${reserved.to}" is a standard field: give the custom property another partner name.`,
      });
    }
  }
  return issues;
}

/** Validates a proposed mapping (shape and rules); field errors are keyed by the form's field names. */
export function validateFieldMapping(
  input: unknown,
): { ok: true; mapping: FieldMapping } | { ok: false; fieldErrors: Record<string, string[]> } {
  const parsed = fieldMappingSchema.safeParse(input);
  const fieldErrors: Record<string, string[]> = {};
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      // "member.properties.0.to" is reported on the form's "member.properties" field.
      const key = issue.path.slice(0, 2).map(String).join(".") || "_form";
      (fieldErrors[key] ??= []).push(
        issue.path.length > 2 ? `Entry ${Number(issue.path[2]) + 1}: ${issue.message}` : issue.message,
      );
    }
    return { ok: false, fieldErrors };
  }
  for (const issue of fieldMappingIssues(parsed.data)) (fieldErrors[issue.field] ??= []).push(issue.message);
  return Object.keys(fieldErrors).length > 0
    ? { ok: false, fieldErrors }
    : { ok: true, mapping: parsed.data };
}

/**
 * Parses "key" or "key=partnerKey" entries, one per line or comma-separated. Returns the mappings, or
 * the first problem in words (for the field's error message).
 */
export function parsePropertyList(
  text: string,
): { ok: true; value: PropertyMapping[] } | { ok: false; message: string } {
  const entries = text
    .split(/[\n,]/)
    .map((entry) => entry.trim())
    .filter(Boolean);
  if (entries.length > MAX_PROPERTIES)
    return { ok: false, message: `At most ${MAX_PROPERTIES} custom properties.` };
  const value: PropertyMapping[] = [];
  for (const entry of entries) {
    const [from = "", to = from, ...rest] = entry.split("=").map((part) => part.trim());
    if (rest.length > 0 || !PROPERTY_KEY.test(from) || !PROPERTY_KEY.test(to)) {
      return {
        ok: false,
        message: `"${entry.slice(0, 40)}" is not a property name: use letters, digits, "_", "-" or ".", optionally "officerndKey=partnerKey".`,
      };
    }
    if (value.some((mapping) => mapping.to === to)) return { ok: false, message: `"${to}" is filled twice.` };
    value.push({ from, to });
  }
  return { ok: true, value };
}

export type PartnerMember = {
  name: string;
  email: string | null;
  company: string | null;
  tags: string[];
  properties: Record<string, unknown>;
};
export type PartnerCompany = Omit<PartnerMember, "company">;

export function mapMember(
  document: Record<string, unknown>,
  { mapping, companyName }: { mapping: FieldMapping["member"]; companyName: string | null },
): PartnerMember {
  const name = text(document[mapping.name]) ?? text(document.name) ?? "";
  const company =
    mapping.company === "none"
      ? null
      : mapping.company === "company.name"
        ? companyName
        : text(path(document, mapping.company));
  return {
    name,
    email: mapping.email === "none" ? null : text(document.email),
    company,
    tags: tagsOf(document, mapping.tags),
    properties: propertiesOf(document, mapping.properties),
  };
}

export function mapCompany(
  document: Record<string, unknown>,
  mapping: FieldMapping["company"],
): PartnerCompany {
  return {
    name: text(path(document, mapping.name)) ?? text(document.name) ?? "",
    email: mapping.email === "none" ? null : text(document.email),
    tags: tagsOf(document, mapping.tags),
    properties: propertiesOf(document, mapping.properties),
  };
}

function tagsOf(document: Record<string, unknown>, source: "tags" | "status" | "none"): string[] {
  if (source === "none") return [];
  const value = document[source];
  if (Array.isArray(value)) return value.filter((tag): tag is string => typeof tag === "string");
  return typeof value === "string" && value ? [value] : [];
}

function propertiesOf(
  document: Record<string, unknown>,
  mappings: readonly PropertyMapping[],
): Record<string, unknown> {
  const source = isRecord(document.properties) ? document.properties : {};
  return Object.fromEntries(
    mappings.filter(({ from }) => from in source).map(({ from, to }) => [to, source[from]]),
  );
}

function path(document: Record<string, unknown>, dotted: string): unknown {
  return dotted
    .split(".")
    .reduce<unknown>((value, key) => (isRecord(value) ? value[key] : undefined), document);
}

function text(value: unknown): string | null {
  return typeof value === "string" && value.trim() ? value : null;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
