// Pure: what an audit event changed, as "path: before → after" lines, so the log shows the edit
// itself instead of two JSON blobs. Arrays compare as whole values; objects are walked.

export type AuditChange = { path: string; before: string | null; after: string | null };

const MAX_VALUE_LENGTH = 80;

export function diffAudit(before: unknown, after: unknown): AuditChange[] {
  const old = flatten(before);
  const now = flatten(after);
  const paths = [...new Set([...old.keys(), ...now.keys()])];
  return paths
    .filter((path) => old.get(path) !== now.get(path))
    .map((path) => ({ path, before: old.get(path) ?? null, after: now.get(path) ?? null }));
}

function flatten(value: unknown, prefix = "", into = new Map<string, string>()): Map<string, string> {
  if (isPlainObject(value)) {
    for (const [key, child] of Object.entries(value)) flatten(child, prefix ? `${prefix}.${key}` : key, into);
    return into;
  }
  if (value === undefined || (value === null && !prefix)) return into;
  into.set(prefix || "value", shorten(typeof value === "string" ? value : JSON.stringify(value)));
  return into;
}

function shorten(text: string): string {
  return text.length > MAX_VALUE_LENGTH ? `${text.slice(0, MAX_VALUE_LENGTH - 1)}…` : text;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
