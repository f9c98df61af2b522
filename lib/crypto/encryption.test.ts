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
    // The stored format: v1.<keyId>.<iv>.<tag>.<data>, a 12-byte iv and a 16-byte tag.
    const [version, keyId, iv, tag] = ciphertext.split(".");
    expect([
      version,
      keyId,
      Buffer.from(iv!, "base64url").length,
      Buffer.from(tag!, "base64url").length,
    ]).toEqual(["v1", "k1", 12, 16]);
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
    expect(() => decryptWith(parseKeyring(newKey), ciphertext, "installation:1")).toThrow(
      /not in ENCRYPTION_KEY/,
    );
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

  it("reads a keyring with spaces around its entries, newest first, and refuses a key id with other characters", () => {
    const keyring = parseKeyring(` ${newKey} , ${oldKey} `);
    expect(keyring.currentId).toBe("k2");
    expect([...keyring.keys.keys()]).toEqual(["k2", "k1"]);
    expect(keyring.keys.get("k1")).toEqual(Buffer.from(oldKey.slice(3), "base64"));
    expect(() => parseKeyring(`bad id:${randomBytes(32).toString("base64")}`)).toThrow();
  });

  it("round-trips the empty string (an empty data part is still a ciphertext)", () => {
    const keyring = parseKeyring(oldKey);
    const ciphertext = encryptWith(keyring, "", "ctx");
    expect(ciphertext.split(".")).toHaveLength(5);
    expect(ciphertext.endsWith(".")).toBe(true);
    expect(decryptWith(keyring, ciphertext, "ctx")).toBe("");
  });

  it("refuses anything not shaped v1.<keyId>.<iv>.<tag>.<data>, naming the problem", () => {
    const keyring = parseKeyring(oldKey);
    const parts = encryptWith(keyring, "secret", "ctx").split(".");
    const variants = {
      "another version": ["v2", ...parts.slice(1)],
      "no key id": [parts[0], "", ...parts.slice(2)],
      "no iv": [...parts.slice(0, 2), "", ...parts.slice(3)],
      "no tag": [...parts.slice(0, 3), "", parts[4]],
      "no data part": parts.slice(0, 4),
      "an extra part": [...parts, "extra"],
    };
    for (const [name, variant] of Object.entries(variants)) {
      expect(() => decryptWith(keyring, variant.join("."), "ctx"), name).toThrow(
        "Not a ciphertext this app wrote.",
      );
    }
    expect(() => decryptWith(keyring, "not-a-ciphertext")).toThrow("Not a ciphertext this app wrote.");
  });

  it("names a truncated or overlong tag as such", () => {
    const keyring = parseKeyring(oldKey);
    const parts = encryptWith(keyring, "secret", "ctx").split(".");
    parts[3] = Buffer.from(parts[3]!, "base64url").subarray(0, 12).toString("base64url");
    expect(() => decryptWith(keyring, parts.join("."), "ctx")).toThrow(
      "Ciphertext has a truncated or overlong authentication tag.",
    );
  });

  it("binds the context: the same ciphertext decrypts only under the context it was written with", () => {
    const keyring = parseKeyring(oldKey);
    const ciphertext = encryptWith(keyring, "secret", "webhook:1:secret");
    expect(() => decryptWith(keyring, ciphertext)).toThrow();
    expect(() => decryptWith(keyring, encryptWith(keyring, "secret"), "webhook:1:secret")).toThrow();
    expect(decryptWith(keyring, encryptWith(keyring, "secret"))).toBe("secret");
  });

  it("keyIdOf reads the key id, and nothing from a string without one", () => {
    expect(keyIdOf(encryptWith(parseKeyring(oldKey), "x"))).toBe("k1");
    expect(keyIdOf("no-dots")).toBeUndefined();
  });
});
