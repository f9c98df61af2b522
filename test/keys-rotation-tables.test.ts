// Key rotation over every encrypted column's table (issue 18 item 2): installations, webhook
// subscriptions and pending connections are all re-encrypted under the new key and still decrypt; and a
// value written by someone else while the rotation runs is kept, never overwritten with the re-encryption
// of the value the rotation read.
import { randomBytes, randomUUID } from "node:crypto";
import pg from "pg";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { decryptWith, encryptWith, keyIdOf } from "@/lib/crypto/encryption";
import { parseKeyring, type Keyring } from "@/lib/crypto/keyring";
import { ENCRYPTED_COLUMNS, reEncryptAll } from "@/lib/crypto/rotate-keys";
import { encryptSecret } from "@/lib/crypto/secrets";
import { db } from "@/lib/db";
import { createInstallation, createUserWithAccount, randomHex } from "./support/factories";

const newKeyring = (): Keyring =>
  parseKeyring(`k-new:${randomBytes(32).toString("base64")},${process.env.ENCRYPTION_KEY!}`);

let other: pg.Client;
beforeEach(async () => {
  other = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await other.connect();
});
afterEach(async () => {
  await other.end();
});

describe("key rotation over every encrypted table", () => {
  it("re-encrypts installations, webhook subscriptions and pending connections, each still decrypting to its value", async () => {
    const { account } = await createUserWithAccount();
    const secret = `sec-${randomHex(8)}`;
    const { installation } = await createInstallation({ accountId: account.id, secret });
    const webhookId = randomUUID();
    const webhookSecret = `whsec-${randomHex(8)}`;
    await db.webhookSubscription.create({
      data: {
        id: webhookId,
        installationId: installation.id,
        remoteId: randomHex(),
        url: "http://app.test/hook",
        eventTypes: ["member.updated"],
        secretEnc: encryptSecret(webhookSecret, `webhook:${webhookId}:secret`),
      },
    });
    const pendingId = randomUUID();
    const credentials = JSON.stringify({ accessToken: `acc-${randomHex(8)}` });
    await db.pendingConnection.create({
      data: {
        id: pendingId,
        stateHash: randomHex(16),
        orgSlug: "acme",
        integrationId: randomHex(),
        locationsKey: "",
        credentialsEnc: encryptSecret(credentials, `pending:${pendingId}:credentials`),
        expiresAt: new Date(Date.now() + 600_000),
      },
    });

    const keyring = newKeyring();
    const report = await reEncryptAll(process.env.DATABASE_URL!, keyring);
    // Every column the rotation knows is reported, one row re-encrypted in each.
    expect(report.map(({ table, column, reEncrypted }) => `${table}.${column}:${reEncrypted}`)).toEqual(
      ENCRYPTED_COLUMNS.map(({ table, column }) => `${table}.${column}:1`),
    );

    const webhook = await db.webhookSubscription.findUniqueOrThrow({ where: { id: webhookId } });
    expect(keyIdOf(webhook.secretEnc)).toBe("k-new");
    expect(decryptWith(keyring, webhook.secretEnc, `webhook:${webhookId}:secret`)).toBe(webhookSecret);
    const pending = await db.pendingConnection.findUniqueOrThrow({ where: { id: pendingId } });
    expect(keyIdOf(pending.credentialsEnc!)).toBe("k-new");
    expect(decryptWith(keyring, pending.credentialsEnc!, `pending:${pendingId}:credentials`)).toBe(
      credentials,
    );
    const stored = await db.installation.findUniqueOrThrow({ where: { id: installation.id } });
    expect(decryptWith(keyring, stored.secretEnc, `installation:${installation.id}:secret`)).toBe(secret);
  });

  it(
    "keeps a secret written concurrently while the rotation waits on that row, instead of overwriting it",
    { timeout: 120_000 },
    async () => {
      const { account } = await createUserWithAccount();
      const { installation } = await createInstallation({
        accountId: account.id,
        secret: "secret-read-by-the-rotation",
      });
      const context = `installation:${installation.id}:secret`;
      const keyring = newKeyring();

      // Another writer (a reconnect storing a new secret) holds the row while the rotation runs.
      await other.query("BEGIN");
      const concurrent = encryptWith(keyring, "secret-written-concurrently", context);
      await other.query(`UPDATE "Installation" SET "secretEnc" = $1 WHERE id = $2`, [
        concurrent,
        installation.id,
      ]);
      const rotation = reEncryptAll(process.env.DATABASE_URL!, keyring);
      // The rotation has read the old ciphertext and now waits for the row lock. (Asked outside the open
      // transaction: inside it, pg_stat_activity would show the snapshot taken at its first read.)
      for (let attempt = 0; ; attempt++) {
        const rows = await db.$queryRawUnsafe<{ count: bigint }[]>(
          `SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE 'UPDATE "Installation"%'`,
        );
        if (Number(rows[0]!.count) > 0) break;
        if (attempt > 1200) throw new Error("the rotation never reached the locked row");
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      await other.query("COMMIT");
      const report = await rotation;

      const stored = await db.installation.findUniqueOrThrow({ where: { id: installation.id } });
      expect(stored.secretEnc).toBe(concurrent);
      expect(decryptWith(keyring, stored.secretEnc, context)).toBe("secret-written-concurrently");
      expect(
        report.find((row) => row.table === "Installation" && row.column === "secretEnc")?.reEncrypted,
      ).toBe(0);
      // The row's other columns, not written concurrently, were rotated.
      expect(keyIdOf(stored.accessTokenEnc!)).toBe("k-new");
    },
  );
});
