import { z } from "zod";

// Response shapes of OfficeRnD's API v2 (spec §4), parsed leniently: the fields the integration reads
// are checked, everything else passes through untouched so the raw document can be stored as is.

const nullableString = z.string().nullish();
/** ISO timestamps; anything unparsable is dropped rather than failing a whole page. */
const timestamp = z
  .string()
  .nullish()
  .transform((value) => (value && !Number.isNaN(Date.parse(value)) ? value : null));

export const locationRecordSchema = z.looseObject({
  _id: z.string().min(1),
  name: z.string().default(""),
  modifiedAt: timestamp,
});

export const companyRecordSchema = z.looseObject({
  _id: z.string().min(1),
  name: z.string().default(""),
  email: nullableString,
  location: nullableString,
  status: nullableString,
  modifiedAt: timestamp,
});

export const memberRecordSchema = z.looseObject({
  _id: z.string().min(1),
  name: z.string().default(""),
  email: nullableString,
  location: nullableString,
  company: nullableString,
  status: nullableString,
  modifiedAt: timestamp,
});

export type LocationRecord = z.infer<typeof locationRecordSchema>;
export type CompanyRecord = z.infer<typeof companyRecordSchema>;
export type MemberRecord = z.infer<typeof memberRecordSchema>;

export const RECORD_SCHEMAS = {
  locations: locationRecordSchema,
  companies: companyRecordSchema,
  members: memberRecordSchema,
} as const;

export type RecordKind = keyof typeof RECORD_SCHEMAS;
export type RecordOf<K extends RecordKind> = z.infer<(typeof RECORD_SCHEMAS)[K]>;

/**
 * A v2 list page (`cursorNext` null on the last). "Some endpoints may wrap this differently" ([DOC-QUERY]),
 * so a bare array is accepted as a single, final page. Items are parsed one by one (`parsePageItems`).
 */
export const rawPageSchema = z
  .union([
    z.looseObject({ results: z.array(z.unknown()), cursorNext: z.string().nullish() }),
    z.array(z.unknown()),
  ])
  .transform((value) =>
    Array.isArray(value)
      ? { results: value, cursorNext: null }
      : { results: value.results, cursorNext: value.cursorNext || null },
  );

export type Page<T> = { results: T[]; cursorNext: string | null; invalid: number };

export function parsePageItems<K extends RecordKind>(
  kind: K,
  page: { results: unknown[]; cursorNext: string | null },
): Page<RecordOf<K>> {
  const schema = RECORD_SCHEMAS[kind];
  const results: RecordOf<K>[] = [];
  let invalid = 0;
  for (const item of page.results) {
    const parsed = schema.safeParse(item);
    if (parsed.success) results.push(parsed.data as RecordOf<K>);
    else invalid++;
  }
  return { results, cursorNext: page.cursorNext, invalid };
}

/** `POST/GET …/webhooks` objects (spec §3f); `DELETE` returns the deleted object. */
export const webhookSchema = z.looseObject({
  _id: z.string().min(1),
  url: z.string().optional(),
  eventTypes: z.array(z.string()).optional(),
});
