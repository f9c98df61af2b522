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

export function currentKeyId(): string {
  return appKeyring().currentId;
}
