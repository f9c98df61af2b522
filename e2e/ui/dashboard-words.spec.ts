// Issue 17 items 14 and 15 on the partner dashboard (1280×800): the audit log in words with its actor,
// filters and raw details behind a disclosure, and no row per configuration open; history totals that
// include webhook changes; member statuses in words (and not offered for companies); the directory's
// paging position; the account chosen with the switcher remembered on the next visit.
import { randomUUID } from "node:crypto";
import { expect as baseExpect, test } from "@playwright/test";
import {
  DEMO_ACCOUNT_ID,
  emulator,
  seedConnectedInstallation,
  signInAsDemo,
  withDatabase,
  type ConnectedInstallation,
} from "./configure-fixtures";

// Server actions answer slowly on a shared, loaded machine.
const expect = baseExpect.configure({ timeout: 15_000 });
const SECOND_ACCOUNT_ID = "00000000-0000-4000-8000-000000000002";
const PREFIX = `Pos${randomUUID().slice(0, 6)}`;
const MEMBERS = 30;

let installation: ConnectedInstallation;

test.describe.configure({ timeout: 180_000 });

test.beforeAll(async () => {
  installation = await seedConnectedInstallation({ org: "globex-spaces", locationCount: 1 });
  // Under a location id of their own: settings changes at the real location (17.14) must not count them.
  const location = { _id: `${PREFIX}-location` };
  await withDatabase(async (client) => {
    for (let index = 0; index < MEMBERS; index++) {
      await client.query(
        `INSERT INTO "Member" ("installationId", "remoteId", "locationId", "name", "email", "status", "data") VALUES ($1, $2, $3, $4, $5, $6, '{}')`,
        [
          installation.id,
          `${PREFIX}-${index}`,
          location._id,
          `${PREFIX} Member ${String(index).padStart(2, "0")}`,
          `${PREFIX.toLowerCase()}${index}@example.com`,
          index === 0 ? "not_approved" : "active",
        ],
      );
    }
  });
});

test("17.14: the audit log says who did what in words, filters by installation and action, keeps raw details behind a disclosure", async ({
  page,
  context,
}) => {
  // An OfficeRnD admin opens the configuration (no audit row for that) ...
  const { url } = await emulator<{ url: string }>("/_emulator/signed-call", {
    integrationId: installation.integrationId,
    target: "configure",
  });
  const popup = await context.newPage();
  await popup.goto(url);
  await popup.waitForURL(new RegExp(`/configure/${installation.id}$`));
  await popup.close();
  // ... and the demo user, in the same browser (so OfficeRnD's 30-minute launch session is still there),
  // opens the configuration from the dashboard and turns on sync for the location: they act, not OfficeRnD.
  await signInAsDemo(page, "/dashboard");
  await page.goto(`/dashboard?account=${DEMO_ACCOUNT_ID}`);
  await page.locator(`a[href="/configure/${installation.id}?as=partner"]`).click();
  await page.waitForURL(new RegExp(`/configure/${installation.id}\\?as=partner$`));
  await expect(page.getByText("Signed in as a partner user (owner).")).toBeVisible();
  await expect(page.getByRole("link", { name: "Back to dashboard", exact: true })).toBeVisible();
  const location = installation.locations[0]!;
  await page.getByRole("checkbox", { name: new RegExp(`^Sync ${location.name}`) }).check();
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByTestId("settings-status")).toHaveText(/^Saved\./);

  await page.goto(`/dashboard/audit?account=${DEMO_ACCOUNT_ID}`);
  // Other specs connect the same organisation and location: this installation is picked by its id.
  await expect(page.getByLabel("Installation").locator(`option[value="${installation.id}"]`)).toHaveText(
    `${installation.orgName} · ${location.name}`,
  );
  await page.getByLabel("Installation").selectOption(installation.id);
  await page.getByRole("button", { name: "Filter" }).click();
  const log = page.getByTestId("audit-table");
  const sentences = log.getByTestId("audit-sentence");
  // The actor in words: the signed-in user who saved ("You"), not the OfficeRnD launch session the browser
  // also holds.
  await expect(sentences.first()).toHaveText(`You turned on sync for ${location.name}`);
  await expect(log).not.toContainText("opened the configuration");
  await expect(log).not.toContainText("configure.session_started");
  await expect(log.locator('li[data-action="configure.session_started"]')).toHaveCount(0);

  // Raw names and ids only behind "Details".
  const row = log.locator('li[data-action="location.settings.updated"]').first();
  await expect(row.getByText("location.settings.updated")).toBeHidden();
  await row.getByText("Details").click();
  await expect(row.getByText("location.settings.updated")).toBeVisible();
  await expect(row).toContainText(installation.id);

  // Filter by action group: Connect/disconnect holds nothing for this seeded installation.
  await page.getByLabel("What happened").selectOption({ label: "Connect and disconnect" });
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page).toHaveURL(/action=connection/);
  await expect(page.getByText("Nothing matches these filters.")).toBeVisible();
  await page.getByLabel("What happened").selectOption({ label: "Settings changes" });
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(sentences.first()).toHaveText(new RegExp(`turned on sync for ${location.name}$`));
});

test("17.15: history counts webhook changes; statuses read in words and only for members; pages say where they are", async ({
  page,
}) => {
  await withDatabase((client) =>
    client.query(
      `INSERT INTO "WebhookEvent" ("id", "installationId", "dedupeKey", "eventType", "payload", "signedAt", "status", "processedAt")
       VALUES ($1, $2, $3, 'member.updated', '{}', now(), 'processed', now()), ($4, $2, $5, 'member.created', '{}', now(), 'processed', now())`,
      [randomUUID(), installation.id, randomUUID(), randomUUID(), randomUUID()],
    ),
  );
  await signInAsDemo(page, `/dashboard/history?account=${DEMO_ACCOUNT_ID}`);
  const total = page.getByTestId("records-total");
  await expect(total).toContainText(/by sync runs, \d+ by webhooks\./);
  const byWebhooks = Number(
    (await total.textContent())!.match(/(\d[\d,]*) by webhooks/)![1]!.replace(/,/g, ""),
  );
  expect(byWebhooks).toBeGreaterThanOrEqual(2);

  await page.goto(`/dashboard/directory?account=${DEMO_ACCOUNT_ID}`);
  const status = page.getByLabel("Member status");
  await expect(status.locator("option")).toContainText([
    "Any status",
    "Active",
    "Former",
    "Pending",
    "Contact",
    "Not approved",
    "Drop-in",
    "Lead",
  ]);
  await status.selectOption({ label: "Not approved" });
  await page.getByLabel("Search name or email").fill(PREFIX);
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page.getByTestId("directory-table").locator("tbody tr")).toHaveCount(1);
  await expect(page.getByTestId("directory-table")).toContainText("Not approved");
  await expect(page.getByTestId("directory-table")).not.toContainText("not_approved");

  await page.getByLabel("Show").selectOption("companies");
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page.getByLabel("Member status")).toHaveCount(0);

  await page.goto(`/dashboard/directory?account=${DEMO_ACCOUNT_ID}&q=${PREFIX}`);
  await expect(page.getByTestId("page-position")).toHaveText(`1–25 of ${MEMBERS}`);
  await page.getByRole("link", { name: "Next →" }).click();
  await expect(page.getByTestId("page-position")).toHaveText(`26–${MEMBERS} of ${MEMBERS}`);
  await page.getByRole("link", { name: "← Previous" }).click();
  await expect(page.getByTestId("page-position")).toHaveText(`1–25 of ${MEMBERS}`);
});

test("17.15: the account chosen with the switcher is the one the next visit opens", async ({ page }) => {
  await signInAsDemo(page);
  await expect(page.getByLabel("Account")).toHaveValue(DEMO_ACCOUNT_ID);
  await page.getByLabel("Account").selectOption(SECOND_ACCOUNT_ID);
  await page.getByRole("button", { name: "Switch" }).click();
  await expect(page).toHaveURL(new RegExp(`account=${SECOND_ACCOUNT_ID}`));
  await page.goto("/dashboard");
  await expect(page.getByLabel("Account")).toHaveValue(SECOND_ACCOUNT_ID);
  await page.goto("/dashboard/directory");
  await expect(page.getByLabel("Account")).toHaveValue(SECOND_ACCOUNT_ID);
});
