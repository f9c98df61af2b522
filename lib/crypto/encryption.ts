import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import type { Keyring } from "@/lib/crypto/keyring";

// AES-256-GCM with the key id inside every ciphertext: `v1.<keyId>.<iv>.<tag>.<data>` (base64url).
// `context` is bound as additional authenticated data, so a ciphertext copied to another row or
// column (e.g. one installation's secret into another's) fails to decrypt.
const VERSION = "v1";
// GCM accepts tags from 4 to 16 bytes unless told the length, and a short tag is far easier to forge.
const TAG_BYTES = 16;

export function encryptWith(keyring: Keyring, plaintext: string, context = ""): string {
  const key = keyring.keys.get(keyring.currentId)!;
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(context, "utf8"));
  const data = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return [
    VERSION,
    keyring.currentId,
    iv.toString("base64url"),
    cipher.getAuthTag().toString("base64url"),
    data.toString("base64url"),
  ].join(".");
}

export function decryptWith(keyring: Keyring, ciphertext: string, context = ""): string {
  const [version, keyId, iv, tag, data, ...rest] = ciphertext.split(".");
  if (version !== VERSION || !keyId || !iv || !tag || data === undefined || rest.length > 0)
    throw new Error("Not a ciphertext this app wrote.");
  const key = keyring.keys.get(keyId);
  if (!key)
    throw new Error(
      `Ciphertext key "${keyId}" is not in ENCRYPTION_KEY (was it removed before keys:rotate ran?).`,
    );
  const authTag = Buffer.from(tag, "base64url");
  if (authTag.length !== TAG_BYTES)
    throw new Error("Ciphertext has a truncated or overlong authentication tag.");
  const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"), {
    authTagLength: TAG_BYTES,
  });
  decipher.setAAD(Buffer.from(context, "utf8"));
  decipher.setAuthTag(authTag);
  return Buffer.concat([decipher.update(Buffer.from(data, "base64url")), decipher.final()]).toString("utf8");
}

export function keyIdOf(ciphertext: string): string | undefined {
  return ciphertext.split(".")[1];
}
