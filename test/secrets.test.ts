// lib/crypto/secrets.ts: the app's keyring from ENCRYPTION_KEY, its default context, and the decrypted-
// secret cache of the signed routes, which must answer exactly what decryptSecret answers (per ciphertext
// and context). Found by mutation testing (issue 18, docs/mutation-testing.md).
import { describe, expect, it } from "vitest";
import { decryptWith, encryptWith, keyIdOf } from "@/lib/crypto/encryption";
import { parseKeyring } from "@/lib/crypto/keyring";
import {
  currentKeyId,
  decryptSecret,
  decryptSecretCached,
  encryptSecret,
  SECRET_CACHE_TTL_MS,
} from "@/lib/crypto/secrets";

const keyring = () => parseKeyring(process.env.ENCRYPTION_KEY!);

describe("encryptSecret / decryptSecret", () => {
  it("use the keyring of ENCRYPTION_KEY, its first key being current", () => {
    expect(currentKeyId()).toBe(process.env.ENCRYPTION_KEY!.split(":")[0]);
    const sealed = encryptSecret("plain", "ctx");
    expect(keyIdOf(sealed)).toBe(currentKeyId());
    expect(decryptWith(keyring(), sealed, "ctx")).toBe("plain");
    expect(decryptSecret(encryptWith(keyring(), "plain", "ctx"), "ctx")).toBe("plain");
  });

  it("default to the empty context, on both sides", () => {
    expect(decryptWith(keyring(), encryptSecret("no context"), "")).toBe("no context");
    expect(decryptSecret(encryptWith(keyring(), "no context", ""))).toBe("no context");
    expect(decryptSecretCached(encryptWith(keyring(), "no context", ""))).toBe("no context");
    expect(() => decryptSecret(encryptSecret("bound", "ctx"))).toThrow();
  });
});

describe("decryptSecretCached", () => {
  it("answers each ciphertext with its own plaintext", () => {
    const [first, second] = [encryptSecret("first", "ctx"), encryptSecret("second", "ctx")];
    expect(decryptSecretCached(first, "ctx")).toBe("first");
    expect(decryptSecretCached(second, "ctx")).toBe("second");
    expect(decryptSecretCached(first, "ctx")).toBe("first");
  });

  it("never answers another context from the cache", () => {
    const sealed = encryptSecret("bound", "installation:a:secret");
    expect(decryptSecretCached(sealed, "installation:a:secret")).toBe("bound");
    expect(() => decryptSecretCached(sealed, "installation:b:secret")).toThrow();
    expect(() => decryptSecretCached(sealed, "")).toThrow();
  });

  it("still answers after its 60 s and refuses what decryptSecret refuses", () => {
    expect(SECRET_CACHE_TTL_MS).toBe(60_000);
    const sealed = encryptSecret("kept", "ctx");
    const now = Date.now();
    expect(decryptSecretCached(sealed, "ctx", now)).toBe("kept");
    expect(decryptSecretCached(sealed, "ctx", now + SECRET_CACHE_TTL_MS)).toBe("kept");
    expect(decryptSecretCached(sealed, "ctx", now + 2 * SECRET_CACHE_TTL_MS)).toBe("kept");
    expect(() => decryptSecretCached("v1.nope", "ctx")).toThrow();
  });
});
