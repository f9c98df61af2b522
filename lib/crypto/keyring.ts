import { z } from "zod";

export type Keyring = { currentId: string; keys: Map<string, Buffer> };

const entrySchema = z.tuple([z.string().regex(/^[A-Za-z0-9_-]+$/), z.string()]);

/**
 * Parses ENCRYPTION_KEY: comma-separated `<keyId>:<base64 32-byte key>`, newest first. The first key
 * encrypts; every key decrypts, so old ciphertexts stay readable until `npm run keys:rotate`.
 */
export function parseKeyring(value: string): Keyring {
  const keys = new Map<string, Buffer>();
  for (const entry of value.split(",").map((part) => part.trim())) {
    const separator = entry.indexOf(":");
    const [id, encoded] = entrySchema.parse([entry.slice(0, separator), entry.slice(separator + 1)]);
    const key = Buffer.from(encoded, "base64");
    if (key.length !== 32)
      throw new Error(`ENCRYPTION_KEY: key "${id}" must be 32 bytes of base64 (got ${key.length}).`);
    if (keys.has(id)) throw new Error(`ENCRYPTION_KEY: key id "${id}" appears twice.`);
    keys.set(id, key);
  }
  const currentId = keys.keys().next().value;
  if (!currentId) throw new Error("ENCRYPTION_KEY: no key given.");
  return { currentId, keys };
}
