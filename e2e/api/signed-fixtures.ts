// Installations for the signed-request specs, inserted straight into the e2e database (the Connect
// flow is exercised elsewhere), with the secret encrypted under the running app's ENCRYPTION_KEY.
import { randomBytes, randomUUID } from "node:crypto";
import pg from "pg";
import { encryptWith } from "@/lib/crypto/encryption";
import { parseKeyring } from "@/lib/crypto/keyring";

export type E2eInstallation = {
  id: string;
  accountName: string;
  orgSlug: string;
  orgId: string;
  orgName: string;
  secret: string;
  locations: { id: string; name: string }[];
};

export const nowSeconds = () => Math.floor(Date.now() / 1000);
export const randomHex = (bytes = 8) => randomBytes(bytes).toString("hex");

function requiredEnv(name: "E2E_DATABASE_URL" | "E2E_APP_SECRETS"): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set; e2e/support/global-setup.ts exports it.`);
  return value;
}

/** The running app's key, so secrets inserted here decrypt there. */
function appEncryptionKey(): string {
  return (JSON.parse(requiredEnv("E2E_APP_SECRETS")) as { ENCRYPTION_KEY: string }).ENCRYPTION_KEY;
}

/** Inserts an account and an active installation; `locations: []` makes an all-locations one. */
export async function insertInstallation(
  options: Partial<Omit<E2eInstallation, "id">> & { integrationId?: string } = {},
): Promise<E2eInstallation> {
  const keyring = parseKeyring(appEncryptionKey());
  const id = randomUUID();
  const accountId = randomUUID();
  const installation: E2eInstallation = {
    id,
    accountName: options.accountName ?? `Partner ${randomHex(3)}`,
    orgSlug: options.orgSlug ?? `org-${randomHex(4)}`,
    orgId: options.orgId ?? randomHex(12),
    orgName: options.orgName ?? "E2E Organisation",
    secret: options.secret ?? randomHex(32),
    locations: options.locations ?? [{ id: randomHex(12), name: "Main Street" }],
  };
  const locationsKey = installation.locations
    .map((location) => location.id)
    .sort()
    .join(",");
  const client = new pg.Client({ connectionString: requiredEnv("E2E_DATABASE_URL") });
  await client.connect();
  try {
    await client.query("BEGIN");
    await client.query(`INSERT INTO "Account" ("id", "name") VALUES ($1, $2)`, [
      accountId,
      installation.accountName,
    ]);
    await client.query(
      `INSERT INTO "Installation" ("id", "accountId", "orgSlug", "orgId", "orgName", "integrationId", "regionUrl", "locationsKey", "secretEnc",
         "accessTokenEnc", "refreshTokenEnc", "tokenScope", "tokenExpiresAt", "updatedAt")
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, now() + interval '1 hour', now())`,
      [
        id,
        accountId,
        installation.orgSlug,
        installation.orgId,
        installation.orgName,
        options.integrationId ?? randomHex(12),
        "http://localhost",
        locationsKey,
        encryptWith(keyring, installation.secret, `installation:${id}:secret`),
        encryptWith(keyring, `access-${randomHex()}`, `installation:${id}:access`),
        encryptWith(keyring, `refresh-${randomHex()}`, `installation:${id}:refresh`),
        "officernd.api.read officernd.api.write",
      ],
    );
    for (const location of installation.locations) {
      await client.query(
        `INSERT INTO "InstallationLocation" ("id", "installationId", "locationId", "name") VALUES ($1, $2, $3, $4)`,
        [randomUUID(), id, location.id, location.name],
      );
    }
    await client.query("COMMIT");
  } finally {
    await client.end();
  }
  return installation;
}

/** OfficeRnD's parameters in its order (api.md §2): slug, locations, organizationId, then extras. */
export function officeRndParams(
  installation: E2eInstallation,
  extra: [string, string][] = [],
): [string, string][] {
  return [
    ["slug", installation.orgSlug],
    ["locations", installation.locations.map((location) => location.id).join(",")],
    ["organizationId", installation.orgId],
    ...extra,
  ];
}

export async function querySyncEnabled(installationId: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: requiredEnv("E2E_DATABASE_URL") });
  await client.connect();
  try {
    const result = await client.query<{ syncEnabled: boolean }>(
      `SELECT "syncEnabled" FROM "Installation" WHERE "id" = $1`,
      [installationId],
    );
    return result.rows[0]!.syncEnabled;
  } finally {
    await client.end();
  }
}
