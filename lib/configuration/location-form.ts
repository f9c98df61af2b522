import { z } from "zod";
import { fieldMappingIssues, parsePropertyList, type FieldMapping } from "@/lib/sync/field-mapping";
import {
  COMPANY_FIELD_SOURCES,
  MEMBER_FIELD_SOURCES,
  OFFERED_MEMBER_STATUSES,
} from "@/lib/sync/form-options";
import { DEFAULT_LOCATION_SETTINGS, type LocationSettings } from "@/lib/sync/location-settings";

// Pure: the location card's form (flat field names as the HTML sends them) → what is stored.
// Field names double as the keys of fieldErrors, so each message lands next to its input.

const checkbox = z.preprocess((value) => value === "on" || value === "true", z.boolean());
const list = z.preprocess(
  (value) => (value === undefined ? [] : Array.isArray(value) ? value : [value]),
  z.array(z.string()),
);

function propertyField() {
  return z
    .string()
    .max(2000, "Too long.")
    .default("")
    .transform((value, context) => {
      const parsed = parsePropertyList(value);
      if (!parsed.ok) {
        context.addIssue({ code: "custom", message: parsed.message });
        return z.NEVER;
      }
      return parsed.value;
    });
}

const sourceField = <T extends readonly [string, ...string[]]>(options: T) =>
  z.enum(options, { error: "Choose one of the listed fields." });

export const locationFormSchema = z
  .object({
    syncEnabled: checkbox,
    syncMembers: checkbox,
    syncCompanies: checkbox,
    memberStatuses: list.pipe(z.array(z.enum(OFFERED_MEMBER_STATUSES, { error: "Unknown member status." }))),
    "member.name": sourceField(MEMBER_FIELD_SOURCES.name),
    "member.email": sourceField(MEMBER_FIELD_SOURCES.email),
    "member.company": sourceField(MEMBER_FIELD_SOURCES.company),
    "member.tags": sourceField(MEMBER_FIELD_SOURCES.tags),
    "member.properties": propertyField(),
    "company.name": sourceField(COMPANY_FIELD_SOURCES.name),
    "company.email": sourceField(COMPANY_FIELD_SOURCES.email),
    "company.tags": sourceField(COMPANY_FIELD_SOURCES.tags),
    "company.properties": propertyField(),
    /** The number of records the admin agreed to remove (the confirm step); absent on a first save. */
    confirmRemovals: z.preprocess(
      (value) => (value === "" ? undefined : value),
      z.coerce.number().int().min(0).max(10_000_000).optional(),
    ),
  })
  .superRefine((form, context) => {
    if (form.syncEnabled && !form.syncMembers && !form.syncCompanies) {
      context.addIssue({
        code: "custom",
        path: ["syncMembers"],
        message: "Choose members, companies or both, or turn sync off.",
      });
    }
    if (form.syncMembers && form.memberStatuses.length === 0) {
      context.addIssue({
        code: "custom",
        path: ["memberStatuses"],
        message: "Choose at least one member status.",
      });
    }
    // A mapping that parses but cannot work (e.g. Name from an Email that is not copied), on its field.
    for (const issue of fieldMappingIssues(toFieldMapping(form)))
      context.addIssue({ code: "custom", path: [issue.field], message: issue.message });
  })
  .transform((form): LocationForm => {
    const settings: LocationSettings = {
      syncMembers: form.syncMembers,
      syncCompanies: form.syncCompanies,
      // Members switched off: keep a valid status list for when they are switched back on.
      memberStatuses:
        form.memberStatuses.length > 0
          ? [...new Set(form.memberStatuses)]
          : DEFAULT_LOCATION_SETTINGS.memberStatuses,
    };
    return {
      syncEnabled: form.syncEnabled,
      settings,
      fieldMapping: toFieldMapping(form),
      confirmRemovals: form.confirmRemovals,
    };
  });

function toFieldMapping(form: {
  "member.name": FieldMapping["member"]["name"];
  "member.email": FieldMapping["member"]["email"];
  "member.company": FieldMapping["member"]["company"];
  "member.tags": FieldMapping["member"]["tags"];
  "member.properties": FieldMapping["member"]["properties"];
  "company.name": FieldMapping["company"]["name"];
  "company.email": FieldMapping["company"]["email"];
  "company.tags": FieldMapping["company"]["tags"];
  "company.properties": FieldMapping["company"]["properties"];
}): FieldMapping {
  return {
    member: {
      name: form["member.name"],
      email: form["member.email"],
      company: form["member.company"],
      tags: form["member.tags"],
      properties: form["member.properties"],
    },
    company: {
      name: form["company.name"],
      email: form["company.email"],
      tags: form["company.tags"],
      properties: form["company.properties"],
    },
  };
}

export type LocationForm = {
  syncEnabled: boolean;
  settings: LocationSettings;
  fieldMapping: FieldMapping;
  /** Records the admin confirmed to remove; a save removing more asks again. */
  confirmRemovals?: number;
};
