import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

// The Connect popup's state: a random value in an HttpOnly cookie; the database keeps only its
// SHA-256, compared in constant time, so a leaked row cannot be replayed as a cookie.

export const STATE_COOKIE = "ornd_connect_state";

export function newState(): string {
  return randomBytes(32).toString("base64url");
}

export function hashState(state: string): string {
  return createHash("sha256").update(state, "utf8").digest("hex");
}

/** Constant-time: does the cookie's value hash to the stored hash? */
export function stateMatches({
  state,
  storedHash,
}: {
  state: string | undefined | null;
  storedHash: string;
}): boolean {
  if (!state) return false;
  const given = Buffer.from(hashState(state), "hex");
  const expected = Buffer.from(storedHash, "hex");
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** The cookie is scoped to one pending connection's pages, so two popups never overwrite each other. */
export function stateCookiePath(pendingId: string): string {
  return `/connect/${pendingId}`;
}
