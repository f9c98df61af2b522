import { randomBytes, randomUUID } from "node:crypto";
import net from "node:net";
import path from "node:path";
import { expect, test } from "@playwright/test";
import pg from "pg";
import { encryptWith } from "../../lib/crypto/encryption";
import { parseKeyring } from "../../lib/crypto/keyring";
import { signQuery, signWebhook } from "../../lib/officernd/signature";
import {
  createDatabaseIfMissing,
  MIGRATIONS_DIR,
  PROJECT_DIR,
  withDatabase,
} from "../../scripts/lib/database";
import { startEmbeddedPostgres, type RunningPostgres } from "../../scripts/lib/embedded-postgres";
import { migrate } from "../../scripts/lib/migrations";
import { startProcess, waitForHttp, type Managed } from "../../scripts/lib/processes";
import { appEnvironment } from "../support/app-environment";
import { EMULATOR_URL } from "../support/ports";

// PostgreSQL stopped and restarted under a running app (its own server, so the rest of the run is
// untouched): the app answers 503 JSON at once while it is down (counted, not timed: a bounded number
// of connection attempts per request, no retry loop), recovers without a restart, and loses no webhook
// it acknowledged.

const PG_PORT = 54341;
/** Connection attempts one request may make while the database is down (measured: 1 each; one spare). */
const MAX_CONNECTION_ATTEMPTS = 2;
const APP_PORT = Number(process.env.E2E_APP_PORT ?? 3100) + 50;
const APP = `http://localhost:${APP_PORT}`;
const encryptionKey = `faults:${randomBytes(32).toString("base64")}`;
const keyring = parseKeyring(encryptionKey);
const fixture = {
  installationId: randomUUID(),
  subscriptionId: randomUUID(),
  slug: "faults-org",
  secret: randomBytes(24).toString("hex"),
  webhookSecret: randomBytes(24).toString("hex"),
};

let postgres: RunningPostgres;
let app: Managed;
let databaseUrl: string;

async function insertInstallation(): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const accountId = randomUUID();
  const { installationId: id, subscriptionId } = fixture;
  await client.query(
    `INSERT INTO "Account" (id, name) VALUES ($1, 'Fault Tolerant Ltd') ON CONFLICT DO NOTHING`,
    [accountId],
  );
  await client.query(
    `INSERT INTO "Installation" (id, "accountId", "orgSlug", "orgName", "integrationId", "regionUrl", "locationsKey", "secretEnc", "accessTokenEnc", "refreshTokenEnc", "tokenExpiresAt", "updatedAt")
     VALUES ($1, $2, $3, 'Faults Org', $4, $5, '', $6, $7, $8, now() + interval '30 days', now())`,
    [
      id,
      accountId,
      fixture.slug,
      randomBytes(12).toString("hex"),
      EMULATOR_URL,
      encryptWith(keyring, fixture.secret, `installation:${id}:secret`),
      encryptWith(keyring, "access", `installation:${id}:access`),
      encryptWith(keyring, "refresh", `installation:${id}:refresh`),
    ],
  );
  await client.query(
    `INSERT INTO "WebhookSubscription" (id, "installationId", "remoteId", url, "eventTypes", "secretEnc") VALUES ($1, $2, 'remote-1', 'x', '{member.updated}', $3)`,
    [subscriptionId, id, encryptWith(keyring, fixture.webhookSecret, `webhook:${subscriptionId}:secret`)],
  );
  await client.end();
}

function healthcheckPath(): string {
  const params: [string, string][] = [
    ["slug", fixture.slug],
    ["locations", ""],
    ["memberId", randomBytes(6).toString("hex")],
  ];
  const query = new URLSearchParams(params);
  query.append("signature", signQuery(params, fixture.secret, Math.floor(Date.now() / 1000)));
  return `${APP}/api/officernd/healthcheck?${query.toString()}`;
}

async function postWebhook(eventId: string): Promise<Response> {
  const body = JSON.stringify({
    id: eventId,
    eventType: "member.updated",
    data: {
      object: { _id: randomBytes(12).toString("hex"), name: "Ada", modifiedAt: new Date().toISOString() },
    },
  });
  return fetch(`${APP}/api/webhooks/officernd/${fixture.installationId}`, {
    method: "POST",
    body,
    headers: {
      "content-type": "application/json",
      "officernd-signature": signWebhook(body, fixture.webhookSecret, Math.floor(Date.now() / 1000)),
    },
  });
}

/**
 * Stands in for the stopped server on its port: counts the app's connection attempts and drops each at
 * once, as a dead database host would.
 */
async function countingDeadPort(
  port: number,
): Promise<{ attempts: () => number; close: () => Promise<void> }> {
  let attempts = 0;
  const server = net.createServer((socket) => {
    attempts += 1;
    socket.destroy();
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", resolve);
  });
  return {
    attempts: () => attempts,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

test.beforeAll(async () => {
  test.setTimeout(120_000);
  postgres = await startEmbeddedPostgres({
    projectDir: PROJECT_DIR,
    name: "postgres-faults",
    port: PG_PORT,
    isDisposable: true,
    log: () => {},
  });
  const database = `faults_${Date.now()}`;
  await createDatabaseIfMissing(postgres.adminUrl, database);
  databaseUrl = withDatabase(postgres.adminUrl, database);
  await migrate(databaseUrl, MIGRATIONS_DIR);
  await insertInstallation();
  app = startProcess(
    "next",
    path.join(PROJECT_DIR, "node_modules", ".bin", "next"),
    ["start", "--port", String(APP_PORT)],
    {
      quiet: true,
      env: appEnvironment(
        { databaseUrl, appUrl: APP, emulatorUrl: EMULATOR_URL, encryptionKey, logLevel: "warn" },
        { METRICS_TOKEN: randomBytes(16).toString("hex") },
      ),
    },
  );
  await waitForHttp(`${APP}/api/health`, 60_000, app);
});

test.afterAll(async () => {
  await app?.stop();
  await postgres?.stop();
});

test("Postgres down: 503 JSON at once, then full recovery without restarting the app, no acknowledged webhook lost", async () => {
  test.setTimeout(120_000);
  expect((await fetch(healthcheckPath())).status).toBe(200);
  const acknowledged = randomUUID();
  expect((await postWebhook(acknowledged)).status).toBe(200);

  await postgres.stop();
  const dead = await countingDeadPort(PG_PORT);
  for (const call of [() => fetch(healthcheckPath()), () => postWebhook(randomUUID())]) {
    const before = dead.attempts();
    const response = await call();
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ error: "unavailable", message: expect.any(String) });
    // It did ask the database, and gave up after a bounded number of tries instead of retrying on.
    expect(dead.attempts() - before).toBeGreaterThanOrEqual(1);
    expect(dead.attempts() - before).toBeLessThanOrEqual(MAX_CONNECTION_ATTEMPTS);
  }
  expect((await fetch(`${APP}/api/health`)).status).toBe(200); // the process is alive, only not ready
  expect((await fetch(`${APP}/api/ready`)).status).toBe(503);
  await dead.close();

  postgres = await startEmbeddedPostgres({
    projectDir: PROJECT_DIR,
    name: "postgres-faults",
    port: PG_PORT,
    isDisposable: true,
    log: () => {},
  });
  await expect.poll(async () => (await fetch(healthcheckPath())).status, { timeout: 15_000 }).toBe(200);
  expect((await postWebhook(randomUUID())).status).toBe(200);

  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const { rowCount } = await client.query(
    `SELECT 1 FROM "WebhookEvent" WHERE "dedupeKey" LIKE '%' || $1 || '%'`,
    [acknowledged],
  );
  await client.end();
  expect(rowCount).toBe(1);
});
