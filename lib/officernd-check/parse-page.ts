import { describeIssues, readEntityShape } from "@/lib/webhooks/entity-shape";
import type { EntityKind } from "@/lib/sync/mapping";
import type { Generation } from "./types";

// Does the first page of a list parse with the app's own reader (lib/webhooks/entity-shape.ts, which
// reads v1 and v2 documents into the one model the copy stores)? Names the first offending field.

export type PageVerdict =
  | { ok: true; count: number; hasNextPage: boolean }
  | {
      ok: false;
      problem: string;
      /** e.g. `members[3].status: expected a non-empty string, got number` */ field: string | null;
    };

function typeName(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}

export function checkFirstPage({
  kind,
  generation,
  body,
  headers,
}: {
  kind: EntityKind;
  generation: Generation;
  body: unknown;
  headers: Headers;
}): PageVerdict {
  let items: unknown[];
  let hasNextPage: boolean;
  if (generation === "v1") {
    if (!Array.isArray(body))
      return { ok: false, problem: `API v1 lists are bare arrays; got ${typeName(body)}`, field: kind };
    items = body;
    hasNextPage = headers.has("rnd-cursor-next");
  } else {
    const page =
      typeof body === "object" && body !== null && !Array.isArray(body)
        ? (body as Record<string, unknown>)
        : null;
    if (!page || !Array.isArray(page.results))
      return {
        ok: false,
        problem: `API v2 pages are {results, cursorNext}; got ${typeName(body)}`,
        field: `${kind}.results`,
      };
    if (page.cursorNext !== undefined && page.cursorNext !== null && typeof page.cursorNext !== "string")
      return {
        ok: false,
        problem: `cursorNext must be a string or null; got ${typeName(page.cursorNext)}`,
        field: `${kind}.cursorNext`,
      };
    items = page.results;
    hasNextPage = typeof page.cursorNext === "string" && page.cursorNext !== "";
  }
  for (const [index, item] of items.entries()) {
    const shape = readEntityShape(kind, item, { path: `${kind}[${index}]`, isCompanyOptional: true });
    if (!shape.ok)
      return { ok: false, problem: describeIssues(shape.issues), field: shape.issues[0]?.path ?? null };
  }
  return { ok: true, count: items.length, hasNextPage };
}
