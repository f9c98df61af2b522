import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import pg from "pg";
import { decryptWith } from "../../lib/crypto/encryption";
import { parseKeyring } from "../../lib/crypto/keyring";
import { DEMO_LOGIN, EMULATOR_URL, LOG_DIR } from "../support/ports";

type Integration = { _id: string; secret: string };
type Webhook = { _id: string; secret: string };

/** Every OAuth token the app stored during the run, decrypted with the run's key. */
async function storedTokens(encryptionKey: string): Promise<string[]> {
  const keyring = parseKeyring(encryptionKey);
  const client = new pg.Client({ connectionString: process.env.E2E_DATABASE_URL });
  await client.connect();
  const { rows } = await client.query<{ id: string; access: string | null; refresh: string | null }>(
    'SELECT id, "accessTokenEnc" AS access, "refreshTokenEnc" AS refresh FROM "Installation"',
  );
  await client.end();
  return rows.flatMap((row) => [
    ...(row.access ? [decryptWith(keyring, row.access, `installation:${row.id}:access`)] : []),
    ...(row.refresh ? [decryptWith(keyring, row.refresh, `installation:${row.id}:refresh`)] : []),
  ]);
}

test("the app's and workers' logs of the whole run contain none of the secrets the run created", async ({
  request,
}) => {
  const appSecrets = JSON.parse(process.env.E2E_APP_SECRETS ?? "{}") as {
    NEXTAUTH_SECRET: string;
    ENCRYPTION_KEY: string;
  };
  const integrations = (await (
    await request.get(`${EMULATOR_URL}/_emulator/integrations`)
  ).json()) as Integration[];
  const webhooks = (await (await request.get(`${EMULATOR_URL}/_emulator/webhooks`)).json()) as Webhook[];
  const secrets = [
    DEMO_LOGIN.password,
    appSecrets.NEXTAUTH_SECRET,
    appSecrets.ENCRYPTION_KEY.split(":")[1]!,
    ...integrations.map((integration) => integration.secret),
    ...webhooks.map((webhook) => webhook.secret),
    ...(await storedTokens(appSecrets.ENCRYPTION_KEY)),
  ].filter((secret) => secret.length >= 8);

  // Every log our own processes wrote during the run: the app and the workers (not the emulator, which is
  // OfficeRnD).
  const files = readdirSync(LOG_DIR).filter((file) => file.endsWith(".log") && !file.startsWith("emulator"));
  expect(files).toContain("app.log");
  for (const file of files) {
    const content = readFileSync(path.join(LOG_DIR, file), "utf8");
    for (const secret of secrets)
      expect(content.includes(secret), `a secret (${secret.slice(0, 3)}…) appears in ${file}`).toBe(false);
  }
});
