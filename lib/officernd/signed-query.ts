import type { QueryParam } from "@/lib/officernd/signature";

// Pure helpers around the signed GETs OfficeRnD makes to the Healthcheck, Configuration and Sync URLs
// (partner guide "Configuring the Healthcheck, Configuration and Sync URLs"; api.md §2–§3a). The
// signature itself is checked by lib/officernd/signature.ts; these shape what it verified.

/** Signed queries are a handful of short ids; anything longer is refused before any work. */
export const MAX_QUERY_BYTES = 8 * 1024;

/**
 * The query string exactly as sent (no leading `?`, no fragment). The signature covers the decoded
 * parameters in received order, so this must come from the raw URL, never a re-serialised parse.
 */
export function rawQueryOf(url: string): string {
  const start = url.indexOf("?");
  if (start < 0) return "";
  const end = url.indexOf("#", start);
  return url.slice(start + 1, end < 0 ? undefined : end);
}

export function isQueryTooLong(rawQuery: string): boolean {
  return Buffer.byteLength(rawQuery, "utf8") > MAX_QUERY_BYTES;
}

/** The single value of `name`. Repeats never get here: the verifier refuses them. */
export function paramValue(params: readonly QueryParam[], name: string): string | undefined {
  return params.find(([key]) => key === name)?.[1];
}

/**
 * The signed `locations` value in Installation.locationsKey form: ids sorted and comma-joined.
 * OfficeRnD sends "loc1, loc2" (partner guide, Step 4 examples), so spaces around commas are
 * ignored; "" means every location of the organisation.
 */
export function locationsKeyOf(locations: string): string {
  const ids = locations
    .split(",")
    .map((id) => id.trim())
    .filter((id) => id !== "");
  return [...new Set(ids)].sort().join(",");
}

/**
 * `organizationId` sometimes arrives wrapped in literal double quotes (api.md §6 pitfall 3). The
 * signature covers the value as received; only after verifying is one pair of quotes removed.
 */
export function unquoteOrganizationId(value: string | undefined): string | null {
  if (value === undefined || value === "") return null;
  const unquoted =
    value.length >= 2 && value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1) : value;
  return unquoted === "" ? null : unquoted;
}

export type SyncIntent = { kind: "set"; enabled: boolean } | { kind: "toggle" };
export type SyncIntentResult = { ok: true; intent: SyncIntent } | { ok: false; message: string };

const ON_VALUES = new Set(["true", "on", "1"]);
const OFF_VALUES = new Set(["false", "off", "0"]);

/**
 * What a Sync URL call asks for. OfficeRnD's Sync parameters are unconfirmed (api.md "What could not
 * be confirmed"): `enabled=true|false` or `sync=on|off` set the state explicitly, and a call with
 * neither toggles it. Both forms accept true/false, on/off and 1/0 (case-insensitive).
 */
export function parseSyncIntent(params: readonly QueryParam[]): SyncIntentResult {
  const wanted: boolean[] = [];
  for (const name of ["enabled", "sync"]) {
    const raw = paramValue(params, name);
    if (raw === undefined) continue;
    const value = raw.trim().toLowerCase();
    if (ON_VALUES.has(value)) wanted.push(true);
    else if (OFF_VALUES.has(value)) wanted.push(false);
    else
      return {
        ok: false,
        message: `The "${name}" parameter must be true or false (or on/off); got "${raw.slice(0, 20)}".`,
      };
  }
  const [first, second] = wanted;
  if (first === undefined) return { ok: true, intent: { kind: "toggle" } };
  if (second !== undefined && second !== first)
    return { ok: false, message: 'The "enabled" and "sync" parameters disagree.' };
  return { ok: true, intent: { kind: "set", enabled: first } };
}
