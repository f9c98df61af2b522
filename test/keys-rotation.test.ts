import { randomBytes } from "node:crypto";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { decryptWith, keyIdOf } from "@/lib/crypto/encryption";
import { parseKeyring } from "@/lib/crypto/keyring";
import { reEncryptAll } from "@/lib/crypto/rotate-keys";
import { db } from "@/lib/db";
import { createInstallation, createUserWithAccount } from "./support/factories";

/** Every row of every table as text: what a database dump would expose. */
async function dumpAsText(): Promise<string> {
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  const { rows: tables } = await client.query<{ name: string }>(
    "SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public'",
  );
  let dump = "";
  for (const { name } of tables) {
    const { rows } = await client.query(
      `SELECT row_to_json(t)::text AS line FROM ${pg.escapeIdentifier(name)} t`,
    );
    dump += rows.map((row: { line: string }) => row.line).join("\n");
  }
  await client.end();
  return dump;
}

describe("encryption key rotation", () => {
  it("stores no plaintext token or secret, and re-encrypts everything under the new key", async () => {
    const { account } = await createUserWithAccount();
    const secrets = {
      secret: `sec-${randomBytes(16).toString("hex")}`,
      accessToken: `acc-${randomBytes(16).toString("hex")}`,
      refreshToken: `ref-${randomBytes(16).toString("hex")}`,
    };
    const { installation } = await createInstallation({ accountId: account.id, ...secrets });

    let dump = await dumpAsText();
    for (const value of Object.values(secrets)) expect(dump).not.toContain(value);

    const oldKey = process.env.ENCRYPTION_KEY!;
    const rotated = parseKeyring(`k-new:${randomBytes(32).toString("base64")},${oldKey}`);
    const report = await reEncryptAll(process.env.DATABASE_URL!, rotated);
    const counts = (rows: typeof report) =>
      rows.map(
        ({ table, column, reEncrypted, alreadyCurrent }) =>
          `${table}.${column}: ${reEncrypted} re-encrypted, ${alreadyCurrent} current`,
      );
    expect(counts(report)).toEqual([
      "Installation.secretEnc: 1 re-encrypted, 0 current",
      "Installation.accessTokenEnc: 1 re-encrypted, 0 current",
      "Installation.refreshTokenEnc: 1 re-encrypted, 0 current",
      "WebhookSubscription.secretEnc: 0 re-encrypted, 0 current",
      "PendingConnection.credentialsEnc: 0 re-encrypted, 0 current",
    ]);

    const stored = await db.installation.findUniqueOrThrow({ where: { id: installation.id } });
    for (const column of ["secretEnc", "accessTokenEnc", "refreshTokenEnc"] as const)
      expect(keyIdOf(stored[column]!)).toBe("k-new");
    expect(
      decryptWith(
        parseKeyring(rotated.currentId + ":" + rotated.keys.get("k-new")!.toString("base64")),
        stored.secretEnc,
        `installation:${installation.id}:secret`,
      ),
    ).toBe(secrets.secret);

    // A second run finds everything under the current key already.
    expect(counts(await reEncryptAll(process.env.DATABASE_URL!, rotated))).toEqual([
      "Installation.secretEnc: 0 re-encrypted, 1 current",
      "Installation.accessTokenEnc: 0 re-encrypted, 1 current",
      "Installation.refreshTokenEnc: 0 re-encrypted, 1 current",
      "WebhookSubscription.secretEnc: 0 re-encrypted, 0 current",
      "PendingConnection.credentialsEnc: 0 re-encrypted, 0 current",
    ]);
    dump = await dumpAsText();
    for (const value of Object.values(secrets)) expect(dump).not.toContain(value);
  });
});

describe("reEncryptAll's connection", () => {
  /** Sessions connected to this test's database, other than the one asking. */
  async function otherSessions(): Promise<number> {
    const [row] = await db.$queryRaw<{ sessions: number }[]>`
      SELECT count(*)::int AS sessions FROM pg_stat_activity
      WHERE datname = current_database() AND pid <> pg_backend_pid()`;
    return row!.sessions;
  }

  it("is closed when the rotation ends, also when it fails on a row it cannot decrypt", async () => {
    const before = await otherSessions();
    // A secret under a key the keyring does not hold: the rotation fails, and still lets go of its session.
    const { account } = await createUserWithAccount();
    const { installation } = await createInstallation({ accountId: account.id });
    const [, ...rest] = (
      await db.installation.findUniqueOrThrow({ where: { id: installation.id } })
    ).secretEnc.split(".");
    await db.installation.update({
      where: { id: installation.id },
      data: { secretEnc: ["v1", "k-unknown", ...rest.slice(1)].join(".") },
    });
    const keyring = parseKeyring(
      `k-new:${randomBytes(32).toString("base64")},${process.env.ENCRYPTION_KEY!}`,
    );
    await expect(reEncryptAll(process.env.DATABASE_URL!, keyring)).rejects.toThrow(/"k-unknown"/);
    expect(await otherSessions()).toBe(before);
  });
});
