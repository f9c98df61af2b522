// Data for the HTTP benchmark: N installations (each with its own integration and webhook secret),
// written straight into a fresh database, encrypted exactly as the Connect flow stores them.
import { randomBytes, randomUUID } from "node:crypto";
import pg from "pg";
import { encryptWith } from "../lib/crypto/encryption.ts";
import type { Keyring } from "../lib/crypto/keyring.ts";

export type BenchInstallation = {
  id: string;
  orgSlug: string;
  locationsKey: string;
  secret: string;
  webhookSecret: string;
  accountName: string;
};

export async function insertInstallations(
  databaseUrl: string,
  keyring: Keyring,
  count: number,
): Promise<BenchInstallation[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const installations: BenchInstallation[] = [];
  try {
    await client.query("BEGIN");
    for (let index = 0; index < count; index++) {
      const accountId = randomUUID();
      const id = randomUUID();
      const item: BenchInstallation = {
        id,
        orgSlug: `bench-org-${index}`,
        locationsKey: `loc${index}a,loc${index}b`,
        secret: randomBytes(24).toString("hex"),
        webhookSecret: randomBytes(24).toString("hex"),
        accountName: `Bench Account ${index}`,
      };
      await client.query('INSERT INTO "Account" (id, name) VALUES ($1, $2)', [accountId, item.accountName]);
      await client.query(
        `INSERT INTO "Installation" (id, "accountId", "orgSlug", "orgName", "integrationId", "regionUrl", "locationsKey", "secretEnc", "accessTokenEnc", "refreshTokenEnc", "tokenExpiresAt", "updatedAt")
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, now() + interval '30 days', now())`,
        [
          id,
          accountId,
          item.orgSlug,
          `Bench Org ${index}`,
          randomBytes(12).toString("hex"),
          "http://127.0.0.1:9",
          item.locationsKey,
          encryptWith(keyring, item.secret, `installation:${id}:secret`),
          encryptWith(keyring, `access-${index}`, `installation:${id}:access`),
          encryptWith(keyring, `refresh-${index}`, `installation:${id}:refresh`),
        ],
      );
      for (const location of item.locationsKey.split(",")) {
        await client.query(
          'INSERT INTO "InstallationLocation" (id, "installationId", "locationId", name) VALUES ($1, $2, $3, $4)',
          [randomUUID(), id, location, location],
        );
      }
      const subscriptionId = randomUUID();
      await client.query(
        'INSERT INTO "WebhookSubscription" (id, "installationId", "remoteId", url, "eventTypes", "secretEnc") VALUES ($1, $2, $3, $4, $5, $6)',
        [
          subscriptionId,
          id,
          randomBytes(12).toString("hex"),
          `http://bench/${id}`,
          ["member.updated"],
          encryptWith(keyring, item.webhookSecret, `webhook:${subscriptionId}:secret`),
        ],
      );
      installations.push(item);
    }
    await client.query("COMMIT");
  } finally {
    await client.end();
  }
  return installations;
}
