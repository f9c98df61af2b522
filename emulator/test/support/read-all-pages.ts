// Follows an API v2 list by `$cursorNext` to its last page, as a partner sync would.
import { expect } from "vitest";
import type { Harness, Json } from "./harness";

// A guard against a cursor that never ends, far above any list the tests page through.
const MAX_PAGES = 1000;

/** Every page of the list at `path` (each must answer 200) and the records on them, in order. */
export async function readAllPages(
  emulator: Harness,
  token: string,
  path: string,
  query: Record<string, string> = {},
) {
  const pages: Json[] = [];
  let next: string | null = null;
  do {
    const params: URLSearchParams = new URLSearchParams({ ...query, ...(next ? { $cursorNext: next } : {}) });
    const response: { status: number; body: Json } = await emulator.api(
      `${path}?${params.toString()}`,
      token,
    );
    expect(response.status).toBe(200);
    pages.push(response.body);
    next = response.body.cursorNext;
  } while (next && pages.length < MAX_PAGES);
  return { pages, records: pages.flatMap((page) => page.results as Json[]) };
}
