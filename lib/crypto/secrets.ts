import "server-only";
import { decryptWith, encryptWith } from "@/lib/crypto/encryption";
import { parseKeyring, type Keyring } from "@/lib/crypto/keyring";
import { env } from "@/lib/env";

// The app's keyring from ENCRYPTION_KEY. Use these for every token and secret stored in Postgres.
let keyring: Keyring | undefined;
function appKeyring(): Keyring {
  keyring ??= parseKeyring(env().ENCRYPTION_KEY);
  return keyring;
}

export function encryptSecret(plaintext: string, context = ""): string {
  return encryptWith(appKeyring(), plaintext, context);
}

export function decryptSecret(ciphertext: string, context = ""): string {
  return decryptWith(appKeyring(), ciphertext, context);
}

export const SECRET_CACHE_TTL_MS = 60_000;
const SECRET_CACHE_MAX = 10_000;
const secretCache = new Map<string, { plaintext: string; expiresAt: number }>();

/**
 * decryptSecret for the signed routes' hot path, cached per ciphertext and context. A changed secret is a
 * new ciphertext, so it never comes from the cache: no invalidation message between instances.
 */
export function decryptSecretCached(ciphertext: string, context = "", now = Date.now()): string {
  const key = `${context}\u0000${ciphertext}`;
  const hit = secretCache.get(key);
  if (hit && hit.expiresAt > now) return hit.plaintext;
  const plaintext = decryptSecret(ciphertext, context);
  if (secretCache.size >= SECRET_CACHE_MAX) secretCache.clear();
  secretCache.set(key, { plaintext, expiresAt: now + SECRET_CACHE_TTL_MS });
  return plaintext;
}

export function currentKeyId(): string {
  return appKeyring().currentId;
}
