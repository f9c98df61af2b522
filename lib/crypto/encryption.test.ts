import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { decryptWith, encryptWith, keyIdOf } from "./encryption";
import { parseKeyring } from "./keyring";

const key = (id: string) => `${id}:${randomBytes(32).toString("base64")}`;

describe("AES-256-GCM with key ids", () => {
  const oldKey = key("k1");
  const newKey = key("k2");

  it("round-trips and never contains the plaintext", () => {
    const keyring = parseKeyring(oldKey);
    const ciphertext = encryptWith(keyring, "refresh-token-123", "installation:1");
    expect(ciphertext).not.toContain("refresh-token-123");
    expect(decryptWith(keyring, ciphertext, "installation:1")).toBe("refresh-token-123");
  });

  it("encrypts with the newest key and still decrypts with older ones", () => {
    const before = encryptWith(parseKeyring(oldKey), "secret");
    const rotated = parseKeyring(`${newKey},${oldKey}`);
    expect(decryptWith(rotated, before)).toBe("secret");
    expect(keyIdOf(encryptWith(rotated, "secret"))).toBe("k2");
  });

  it("refuses a ciphertext moved to another context, tampered with, or under a removed key", () => {
    const keyring = parseKeyring(oldKey);
    const ciphertext = encryptWith(keyring, "secret", "installation:1");
    expect(() => decryptWith(keyring, ciphertext, "installation:2")).toThrow();
    const parts = ciphertext.split(".");
    parts[4] = Buffer.from("tampered").toString("base64url");
    expect(() => decryptWith(keyring, parts.join("."))).toThrow();
    expect(() => decryptWith(parseKeyring(newKey), ciphertext, "installation:1")).toThrow(/not in ENCRYPTION_KEY/);
  });

  it("refuses an authentication tag of any length but 16 bytes (GCM would check a truncated one)", () => {
    const keyring = parseKeyring(oldKey);
    const parts = encryptWith(keyring, "secret", "ctx").split(".");
    const tag = Buffer.from(parts[3]!, "base64url");
    expect(tag).toHaveLength(16);
    for (const length of [4, 8, 12, 15]) {
      const truncated = [...parts];
      truncated[3] = tag.subarray(0, length).toString("base64url");
      expect(() => decryptWith(keyring, truncated.join("."), "ctx")).toThrow();
    }
    const overlong = [...parts];
    overlong[3] = Buffer.concat([tag, Buffer.from([0])]).toString("base64url");
    expect(() => decryptWith(keyring, overlong.join("."), "ctx")).toThrow();
  });

  it("rejects malformed keyrings with a message naming the problem", () => {
    expect(() => parseKeyring("k1:c2hvcnQ=")).toThrow(/32 bytes/);
    expect(() => parseKeyring(`${oldKey},${oldKey}`)).toThrow(/appears twice/);
  });
});
