// The partner dashboard in Chromium: sign-in gate, installations with a link to their configuration,
// the account switcher (keyboard only, choice kept in the URL), a refused account, and the directory's
// server-side search and keyset pages.
import { randomUUID } from "node:crypto";
import { expect, test } from "@playwright/test";
import {
  DEMO_ACCOUNT_ID,
  seedConnectedInstallation,
  signInAsDemo,
  withDatabase,
  type ConnectedInstallation,
} from "./configure-fixtures";

const SECOND_ACCOUNT_ID = "00000000-0000-4000-8000-000000000002";
const PREFIX = `Zed${randomUUID().slice(0, 6)}`;
const MEMBERS = 30;

let installation: ConnectedInstallation;

test.beforeAll(async () => {
  installation = await seedConnectedInstallation({ org: "acme-coworking", locationCount: 1 });
  const location = installation.locations[0]!;
  await withDatabase(async (client) => {
    for (let index = 0; index < MEMBERS; index++) {
      await client.query(
        `INSERT INTO "Member" ("installationId", "remoteId", "locationId", "name", "email", "status", "data") VALUES ($1, $2, $3, $4, $5, 'active', '{}')`,
        [
          installation.id,
          `${PREFIX}-${index}`,
          location._id,
          `${PREFIX} Member ${String(index).padStart(2, "0")}`,
          `${PREFIX.toLowerCase()}${index}@example.com`,
        ],
      );
    }
  });
});

test("signed-out visitors are sent to sign-in and come back to the page they asked for", async ({ page }) => {
  await page.goto(`/dashboard/directory?account=${DEMO_ACCOUNT_ID}`);
  await expect(page).toHaveURL(/\/signin\?callbackUrl=/);
  await page.getByLabel("Email").fill("demo@example.com");
  await page.getByLabel("Password").fill("demo-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(new RegExp(`/dashboard/directory\\?account=${DEMO_ACCOUNT_ID}$`));
});

test("installations link to their configuration, which a signed-in owner may open", async ({ page }) => {
  await signInAsDemo(page);
  const card = page
    .getByRole("listitem")
    .filter({ has: page.getByRole("heading", { name: installation.orgName }) })
    .filter({ hasText: installation.locations[0]!.name });
  await card
    .first()
    .getByRole("link", { name: new RegExp(`^Configure`) })
    .click();
  await expect(page).toHaveURL(/\/configure\/[0-9a-f-]{36}\?as=partner$/);
  await expect(page.getByText("Signed in as a partner user (owner).")).toBeVisible();
  await expect(page.getByRole("button", { name: "Save" }).first()).toBeEnabled();
  await expect(page.getByRole("link", { name: "Back to dashboard", exact: true })).toBeVisible();
});

test("the account switcher works from the keyboard and keeps the account in the URL", async ({ page }) => {
  await signInAsDemo(page);
  const switcher = page.getByLabel("Account");
  await expect(switcher).toHaveValue(DEMO_ACCOUNT_ID);
  await switcher.focus();
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("Tab");
  await expect(page.getByRole("button", { name: "Switch" })).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(new RegExp(`account=${SECOND_ACCOUNT_ID}`));
  await expect(page.getByLabel("Account")).toHaveValue(SECOND_ACCOUNT_ID);
  // None of the first account's data shows under the second (other specs may connect to it, so
  // the check is about this spec's own installation and members).
  await expect(page.locator(`a[href^="/configure/${installation.id}"]`)).toHaveCount(0);
  await page.getByRole("link", { name: "Directory" }).click();
  await expect(page).toHaveURL(new RegExp(`/dashboard/directory\\?account=${SECOND_ACCOUNT_ID}`));
  await page.getByLabel("Search name or email").fill(PREFIX);
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page.getByRole("heading", { level: 3, name: `0 members matching “${PREFIX}”` })).toBeVisible();
  // …and the first account, picked back, shows them.
  await page.getByLabel("Account").selectOption(DEMO_ACCOUNT_ID);
  await page.getByRole("button", { name: "Switch" }).click();
  await expect(page).toHaveURL(new RegExp(`/dashboard/directory\\?account=${DEMO_ACCOUNT_ID}$`));
  await page.getByLabel("Search name or email").fill(PREFIX);
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(
    page.getByRole("heading", { level: 3, name: `${MEMBERS} members matching “${PREFIX}”` }),
  ).toBeVisible();
});

test("an account the user is not a member of shows no data", async ({ page }) => {
  await signInAsDemo(page);
  await page.goto(`/dashboard/directory?account=${randomUUID()}&q=${PREFIX}`);
  await expect(page.getByRole("heading", { name: "No access to this account" })).toBeVisible();
  await expect(page.getByTestId("directory-table")).toHaveCount(0);
});

test("the directory searches on the server and pages forward and back", async ({ page }) => {
  await signInAsDemo(page, `/dashboard/directory?account=${DEMO_ACCOUNT_ID}`);
  const search = page.getByLabel("Search name or email");
  await search.fill(PREFIX.toLowerCase());
  await search.press("Enter");
  await expect(
    page.getByRole("heading", { level: 3, name: `${MEMBERS} members matching “${PREFIX.toLowerCase()}”` }),
  ).toBeVisible();
  const rows = page.getByTestId("directory-table").locator("tbody tr");
  await expect(rows).toHaveCount(25);
  await expect(rows.first()).toContainText(`${PREFIX} Member 00`);
  await page.getByRole("link", { name: "Next →" }).click();
  await expect(rows).toHaveCount(MEMBERS - 25);
  await expect(rows.first()).toContainText(`${PREFIX} Member 25`);
  await expect(page.getByRole("link", { name: "Next →" })).toHaveCount(0);
  await page.getByRole("link", { name: "← Previous" }).click();
  await expect(rows.first()).toContainText(`${PREFIX} Member 00`);
  await page.getByLabel("Sort").selectOption("-name");
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(rows.first()).toContainText(`${PREFIX} Member 29`);
  await expect(page).toHaveURL(/sort=-name/);
});
