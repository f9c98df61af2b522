import "server-only";

// Per process, for at most 60 s: what verifying OfficeRnD's signed calls needs from the database — an
// organisation's installations with their decrypted secrets (signed GETs), and an installation's webhook
// subscriptions with theirs (webhooks). It saves the hot routes a read per request (issue 16 §1).
//
// The cache only ever picks the installation a signature belongs to; it never decides on its own:
//  - a refusal (no secret verifies, a removed installation, other locations) is decided again on fresh
//    rows, so a new installation or subscription is seen at once;
//  - an accepted request's one write statement checks that the row it acts on still has the secret and
//    locations it was verified with (and, for signed GETs, is not removed) and does nothing otherwise;
//    the caller then forgets the entry and starts again from fresh rows. So another instance's change
//    (a disconnect, a reconnect with a new secret, a key rotation re-encrypting the secret) is never
//    acted on, and this process's own changes also forget the entry at once (`forgetInstallation`).

export const SIGNED_CACHE_TTL_MS = 60_000;
/** Bounded: the oldest entries go first once this many are held (each holds a few short strings). */
const MAX_ENTRIES = 10_000;

type Entry<T> = { value: T; expiresAt: number };

class TtlCache<T> {
  private readonly entries = new Map<string, Entry<T>>();

  get(key: string, now: number): T | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt > now) return entry.value;
    this.entries.delete(key);
    return undefined;
  }

  set(key: string, value: T, now: number): void {
    this.entries.delete(key);
    if (this.entries.size >= MAX_ENTRIES) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(key, { value, expiresAt: now + SIGNED_CACHE_TTL_MS });
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
  }
}

const globalForCache = globalThis as unknown as {
  signedCandidates?: TtlCache<unknown>;
  webhookSecrets?: TtlCache<unknown>;
  slugOfInstallation?: Map<string, string>;
};

function caches() {
  globalForCache.signedCandidates ??= new TtlCache();
  globalForCache.webhookSecrets ??= new TtlCache();
  globalForCache.slugOfInstallation ??= new Map();
  return {
    candidates: globalForCache.signedCandidates,
    webhooks: globalForCache.webhookSecrets,
    slugOf: globalForCache.slugOfInstallation,
  };
}

/** The cached candidates of an organisation slug, if fresh. */
export function cachedCandidates<T>(slug: string, now: number): T | undefined {
  return caches().candidates.get(slug, now) as T | undefined;
}

export function cacheCandidates<T>(slug: string, installationIds: string[], value: T, now: number): void {
  const { candidates, slugOf } = caches();
  candidates.set(slug, value, now);
  if (slugOf.size >= MAX_ENTRIES * 4) slugOf.clear();
  for (const id of installationIds) slugOf.set(id, slug);
}

/** The cached webhook subscriptions of an installation, if fresh. */
export function cachedWebhookSecrets<T>(installationId: string, now: number): T | undefined {
  return caches().webhooks.get(installationId, now) as T | undefined;
}

export function cacheWebhookSecrets<T>(installationId: string, value: T, now: number): void {
  caches().webhooks.set(installationId, value, now);
}

/**
 * Drops everything cached about an installation and its organisation: call it after changing its
 * status, secret, locations or webhook subscriptions (reconnect, disconnect, removal, healed locations).
 */
export function forgetInstallation(input: { installationId?: string; orgSlug?: string }): void {
  const { candidates, webhooks, slugOf } = caches();
  if (input.orgSlug) candidates.delete(input.orgSlug);
  if (input.installationId) {
    const slug = slugOf.get(input.installationId);
    if (slug) candidates.delete(slug);
    webhooks.delete(input.installationId);
  }
}

/** Empties both caches (tests, key rotation in this process). */
export function forgetAllInstallations(): void {
  const { candidates, webhooks, slugOf } = caches();
  candidates.clear();
  webhooks.clear();
  slugOf.clear();
}

/**
 * Thrown by a statement whose installation (or webhook subscription) no longer has the secret,
 * locations or status its request was verified with: the caller forgets the cache and starts again
 * from fresh rows. Not an answer in itself.
 */
export class StaleInstallation extends Error {
  constructor(readonly installationId: string) {
    super("The installation changed since its request was verified.");
    this.name = "StaleInstallation";
  }
}
