// Issue 13 part 4 in Chromium at the popup's 500×700: the configuration header shows the healthcheck's
// diagnosis (what is wrong since when, what to do) with its one-click fix; OfficeRnD's Healthcheck
// button gets the same words as {error, message, action}; Retry sync and Recreate webhooks work; axe
// finds nothing serious. Also the README's screenshot (docs/screenshots/healthcheck-diagnosis.png).
import path from "node:path";
import { mkdirSync } from "node:fs";
import { expect, test } from "@playwright/test";
import { PROJECT_DIR } from "../../scripts/lib/database.ts";
import {
  emulator,
  seedConnectedInstallation,
  signInAsDemo,
  withDatabase,
  type ConnectedInstallation,
} from "./configure-fixtures";
import { expectNoSeriousAxeViolations } from "./axe";

const ORG = "acme-coworking";
const DOCS_SCREENSHOTS = path.join(PROJECT_DIR, "docs", "screenshots");
let installation: ConnectedInstallation;
// Sign-in, two page loads and axe on a machine shared with other builds.
test.describe.configure({ timeout: 180_000 });

test.beforeAll(async () => {
  installation = await seedConnectedInstallation({ org: ORG, locationCount: 1 });
  const locationId = installation.locations[0]!._id;
  await withDatabase(async (client) => {
    // Two failed runs, the first 95 minutes ago: "failed since" is the first one.
    for (const minutesAgo of [95, 20]) {
      await client.query(
        `INSERT INTO "SyncRun" ("id", "installationId", "locationId", "kind", "trigger", "status", "error", "createdAt", "startedAt", "finishedAt")
         VALUES (gen_random_uuid(), $1, $2, 'full', 'test', 'failed', 'Gave up after 5 attempts: OfficeRnD GET /members answered 503',
                 now() - make_interval(mins => $3), now() - make_interval(mins => $3), now() - make_interval(mins => $3))`,
        [installation.id, locationId, minutesAgo],
      );
    }
  });
});

test("the configuration header shows the healthcheck's diagnosis with its one-click fix", async ({
  page,
}) => {
  await page.setViewportSize({ width: 500, height: 700 });
  await signInAsDemo(page, `/configure/${installation.id}`);
  const banner = page.getByTestId("diagnosis");
  await expect(banner).toHaveAttribute("data-failure", "sync_failing");
  const message = (await page.getByTestId("diagnosis-message").textContent())!;
  expect(message).toMatch(
    /^Sync of .+ has failed since \d{1,2} \w{3} \d\d:\d\d UTC: Gave up after 5 attempts: OfficeRnD GET \/members answered 503$/,
  );
  await expect(page.getByTestId("diagnosis-action")).toContainText("Open Configure and click Retry sync.");
  await expect(page.getByRole("heading", { name: "Webhook delivery" })).toBeVisible();
  await expectNoSeriousAxeViolations(page, "configure-diagnosis");
  mkdirSync(DOCS_SCREENSHOTS, { recursive: true });
  await banner.scrollIntoViewIfNeeded();
  await page.screenshot({
    path: path.join(DOCS_SCREENSHOTS, "healthcheck-diagnosis.png"),
    animations: "disabled",
  });

  // OfficeRnD's own Healthcheck button receives the same diagnosis.
  const call = await emulator<{ status: number; body: Record<string, string> }>("/_emulator/signed-call", {
    integrationId: installation.integrationId,
    target: "healthcheck",
  });
  expect(call.status).toBe(503);
  expect(call.body).toEqual({
    error: "sync_failing",
    message,
    action: expect.stringContaining("Retry sync") as unknown as string,
  });

  // One click queues the retry.
  await page.getByRole("button", { name: "Retry sync" }).click();
  await expect(banner.getByRole("status")).toHaveText("Sync queued for 1 location.");
  const queued = await withDatabase(
    async (client) =>
      (
        await client.query(
          `SELECT count(*)::int AS n FROM "SyncRun" WHERE "installationId" = $1 AND "trigger" = 'configure.retry_sync'`,
          [installation.id],
        )
      ).rows[0] as { n: number },
  );
  expect(queued.n).toBe(1);
});

test("webhooks missing at OfficeRnD: Recreate webhooks makes a new subscription and the banner goes", async ({
  page,
}) => {
  await withDatabase(async (client) => {
    // The sync recovered; the subscription check found ours gone and could not recreate it.
    await client.query(
      `INSERT INTO "SyncRun" ("id", "installationId", "locationId", "kind", "trigger", "status", "createdAt", "finishedAt") VALUES (gen_random_uuid(), $1, $2, 'incremental', 'test', 'succeeded', now(), now())`,
      [installation.id, installation.locations[0]!._id],
    );
    await client.query(
      `INSERT INTO "WebhookHealth" ("installationId", "subscriptionMissingSince", "subscriptionError", "updatedAt") VALUES ($1, now() - interval '40 minutes', 'OfficeRnD answered HTTP 503.', now())`,
      [installation.id],
    );
  });
  await page.setViewportSize({ width: 500, height: 700 });
  await signInAsDemo(page, `/configure/${installation.id}`);
  const banner = page.getByTestId("diagnosis");
  await expect(banner).toHaveAttribute("data-failure", "webhooks_missing");
  await expect(page.getByTestId("diagnosis-message")).toContainText(
    "OfficeRnD has had no webhook subscription for us since",
  );
  await expect(page.getByTestId("webhook-subscription")).toContainText("Missing at OfficeRnD");
  await expectNoSeriousAxeViolations(page, "configure-webhooks-missing");
  await page.screenshot({
    path: path.join(DOCS_SCREENSHOTS, "healthcheck-diagnosis-webhooks.png"),
    animations: "disabled",
  });

  await page.getByRole("button", { name: "Recreate webhooks" }).click();
  await expect(page.getByTestId("diagnosis")).toHaveCount(0);
  await expect(page.getByTestId("webhook-subscription")).toContainText("Active at OfficeRnD");
  const remote = await emulator<{ url: string; integrationId: string | null }[]>(
    `/_emulator/webhooks?org=${ORG}`,
  );
  expect(remote.some((webhook) => webhook.url.endsWith(`/api/webhooks/officernd/${installation.id}`))).toBe(
    true,
  );
  const call = await emulator<{ status: number; body: Record<string, string> }>("/_emulator/signed-call", {
    integrationId: installation.integrationId,
    target: "healthcheck",
  });
  expect(call.status).toBe(200);
});
