// Helpers for the configuration and dashboard specs: an installation connected to the emulator (the
// integration, its secret and a token come from the emulator's control API; the rows go straight into
// the e2e database, encrypted under the running app's key) and a sync worker process.
import { mkdirSync } from "node:fs";
import { randomUUID } from "node:crypto";
import path from "node:path";
import type { Page } from "@playwright/test";
import pg from "pg";
import { encryptWith } from "@/lib/crypto/encryption";
import { parseKeyring } from "@/lib/crypto/keyring";
import { PROJECT_DIR } from "../../scripts/lib/database.ts";
import { startProcess, type Managed } from "../../scripts/lib/processes.ts";
import { appEnvironment } from "../support/app-environment";
import { APP_URL, EMULATOR_URL, LOG_DIR } from "../support/ports";

/** The seeded demo user's first account (prisma/seed.ts). */
export const DEMO_ACCOUNT_ID = "00000000-0000-4000-8000-000000000001";
export const SCREENSHOT_DIR = path.join(PROJECT_DIR, "e2e", "screenshots");

type EmulatorLocation = { _id: string; name: string; memberCount: number; companyCount: number };
type EmulatorState = {
  organizations: { slug: string; _id: string; name: string; locations: EmulatorLocation[] }[];
};
export type ConnectedInstallation = {
  id: string;
  integrationId: string;
  orgSlug: string;
  orgName: string;
  locations: EmulatorLocation[];
};

function appSecrets(): { NEXTAUTH_SECRET: string; ENCRYPTION_KEY: string } {
  const raw = process.env.E2E_APP_SECRETS;
  if (!raw) throw new Error("E2E_APP_SECRETS is not set; e2e/support/global-setup.ts exports it.");
  return JSON.parse(raw) as { NEXTAUTH_SECRET: string; ENCRYPTION_KEY: string };
}

function databaseUrl(): string {
  const url = process.env.E2E_DATABASE_URL;
  if (!url) throw new Error("E2E_DATABASE_URL is not set; e2e/support/global-setup.ts exports it.");
  return url;
}

export async function emulator<T>(route: string, body?: unknown): Promise<T> {
  const response = await fetch(`${EMULATOR_URL}${route}`, {
    method: body === undefined ? "GET" : "POST",
    headers: { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`emulator ${route} → ${response.status}: ${await response.text()}`);
  return (await response.json()) as T;
}

export async function withDatabase<T>(run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: databaseUrl() });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

/**
 * An installation of `org` for `locationCount` of its locations (after skipping the first `skip`, so
 * specs that sync can keep to locations of their own), owned by the demo account.
 */
export async function seedConnectedInstallation({
  org,
  locationCount,
  skip = 0,
}: {
  org: string;
  locationCount: number;
  skip?: number;
}): Promise<ConnectedInstallation> {
  const state = await emulator<EmulatorState>("/_emulator/state");
  const organization = state.organizations.find((candidate) => candidate.slug === org);
  if (!organization) throw new Error(`emulator has no organisation ${org}`);
  const locations = organization.locations.slice(skip, skip + locationCount);
  const integration = await emulator<{ _id: string; secret: string }>("/_emulator/integrations", {
    org,
    locations: locations.map((location) => location._id),
  });
  const token = await emulator<{
    access_token: string;
    refresh_token: string;
    expires_in: number;
    scope?: string;
  }>("/_emulator/tokens", {
    org,
    integrationId: integration._id,
    scope: "officernd.api.read officernd.api.write",
  });

  const keyring = parseKeyring(appSecrets().ENCRYPTION_KEY);
  const id = randomUUID();
  await withDatabase(async (client) => {
    await client.query("BEGIN");
    await client.query(
      `INSERT INTO "Installation" ("id", "accountId", "orgSlug", "orgId", "orgName", "integrationId", "regionUrl", "locationsKey", "secretEnc",
         "accessTokenEnc", "refreshTokenEnc", "tokenScope", "tokenExpiresAt", "updatedAt")
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, now() + make_interval(secs => $13), now())`,
      [
        id,
        DEMO_ACCOUNT_ID,
        org,
        organization._id,
        organization.name,
        integration._id,
        EMULATOR_URL,
        locations
          .map((location) => location._id)
          .sort()
          .join(","),
        encryptWith(keyring, integration.secret, `installation:${id}:secret`),
        encryptWith(keyring, token.access_token, `installation:${id}:access`),
        encryptWith(keyring, token.refresh_token, `installation:${id}:refresh`),
        "officernd.api.read officernd.api.write",
        token.expires_in,
      ],
    );
    for (const location of locations) {
      await client.query(
        `INSERT INTO "InstallationLocation" ("id", "installationId", "locationId", "name") VALUES ($1, $2, $3, $4)`,
        [randomUUID(), id, location._id, location.name],
      );
    }
    await client.query("COMMIT");
  });
  return { id, integrationId: integration._id, orgSlug: org, orgName: organization.name, locations };
}

/** A sync worker (`npm run worker`) against the e2e database and emulator. */
export function startWorker(): Managed {
  const secrets = appSecrets();
  mkdirSync(LOG_DIR, { recursive: true });
  return startProcess(
    "worker",
    path.join(PROJECT_DIR, "node_modules", ".bin", "tsx"),
    ["--conditions=react-server", "scripts/worker.ts"],
    {
      cwd: PROJECT_DIR,
      quiet: !process.env.E2E_VERBOSE,
      logFile: path.join(LOG_DIR, "worker-ui.log"),
      env: appEnvironment({
        databaseUrl: databaseUrl(),
        appUrl: APP_URL,
        emulatorUrl: EMULATOR_URL,
        nextAuthSecret: secrets.NEXTAUTH_SECRET,
        encryptionKey: secrets.ENCRYPTION_KEY,
        logLevel: "warn",
      }),
    },
  );
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  // Finished transitions: a progress bar at 100% is drawn full, not halfway through its animation.
  await page.screenshot({
    path: path.join(SCREENSHOT_DIR, `${name}.png`),
    fullPage: true,
    animations: "disabled",
  });
}

export async function signInAsDemo(page: Page, callbackPath = "/dashboard"): Promise<void> {
  await page.goto(`/signin?callbackUrl=${encodeURIComponent(callbackPath)}`);
  await page.getByLabel("Email").fill("demo@example.com");
  await page.getByLabel("Password").fill("demo-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((url) => url.pathname === callbackPath.split("?")[0]);
}

/**
 * Breaks the installation's OfficeRnD connection as a revoked grant does: the access token has expired
 * and the stored refresh token is one OfficeRnD never issued (so it answers invalid_grant).
 */
export async function breakRefreshToken(installationId: string): Promise<void> {
  const keyring = parseKeyring(appSecrets().ENCRYPTION_KEY);
  await withDatabase((client) =>
    client.query(
      `UPDATE "Installation" SET "refreshTokenEnc" = $2, "tokenExpiresAt" = now() - interval '1 hour' WHERE "id" = $1`,
      [
        installationId,
        encryptWith(keyring, `revoked-${randomUUID()}`, `installation:${installationId}:refresh`),
      ],
    ),
  );
}
