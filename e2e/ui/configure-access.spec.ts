// Who may open /configure/<id> in a browser: the OfficeRnD admin with that installation's session, a
// signed-in partner user of its account (members read-only); everyone else gets 401 or 403 and none
// of the installation's data.
import { expect, test } from "@playwright/test";
import {
  DEMO_ACCOUNT_ID,
  emulator,
  seedConnectedInstallation,
  signInAsDemo,
  withDatabase,
  type ConnectedInstallation,
} from "./configure-fixtures";

let mine: ConnectedInstallation;
let other: ConnectedInstallation;

test.beforeAll(async () => {
  mine = await seedConnectedInstallation({ org: "acme-coworking", locationCount: 1 });
  other = await seedConnectedInstallation({ org: "globex-spaces", locationCount: 1 });
});

test("a configure session opens its own installation only: another one answers 403 and shows nothing of it", async ({
  page,
}) => {
  const { url } = await emulator<{ url: string }>("/_emulator/signed-call", {
    integrationId: mine.integrationId,
    target: "configure",
  });
  await page.goto(url);
  await expect(page.getByRole("heading", { level: 1, name: mine.orgName })).toBeVisible();

  const response = await page.goto(`/configure/${other.id}`);
  expect(response?.status()).toBe(403);
  await expect(
    page.getByRole("heading", { level: 1, name: "This configuration is not open here" }),
  ).toBeVisible();
  await expect(page.getByText(other.orgName)).toHaveCount(0);
  await expect(page.getByText(other.locations[0]!.name)).toHaveCount(0);

  // The progress route refuses too (the browser's own cookie, not a crafted request).
  const progress = await page.request.get(
    `/api/installations/${other.id}/progress?locationId=${other.locations[0]!._id}`,
  );
  expect(progress.status()).toBe(403);
});

test("without any session the page answers 401 and points to OfficeRnD", async ({ page }) => {
  const response = await page.goto(`/configure/${mine.id}`);
  expect(response?.status()).toBe(401);
  await expect(page.getByRole("heading", { level: 1 })).toContainText("from OfficeRnD");
  await expect(page.getByText(mine.locations[0]!.name)).toHaveCount(0);
});

test("a read-only member of the account sees the configuration with every control disabled", async ({
  page,
}) => {
  // The demo user is an admin of the second demo account; make this installation belong to it and
  // demote the demo user to member there for the duration of the test.
  const SECOND_ACCOUNT_ID = "00000000-0000-4000-8000-000000000002";
  await withDatabase(async (client) => {
    await client.query(`UPDATE "Installation" SET "accountId" = $1 WHERE "id" = $2`, [
      SECOND_ACCOUNT_ID,
      other.id,
    ]);
    await client.query(`UPDATE "AccountMember" SET "role" = 'member' WHERE "accountId" = $1`, [
      SECOND_ACCOUNT_ID,
    ]);
  });
  try {
    await signInAsDemo(page);
    const response = await page.goto(`/configure/${other.id}`);
    expect(response?.status()).toBe(200);
    await expect(page.getByText("you can view this configuration but not change it")).toBeVisible();
    await expect(page.getByRole("button", { name: "Save" })).toBeDisabled();
    await expect(page.getByRole("button", { name: /^Sync now/ })).toBeDisabled();
    await expect(page.getByRole("button", { name: "Disconnect" })).toHaveCount(0);
  } finally {
    await withDatabase(async (client) => {
      await client.query(`UPDATE "AccountMember" SET "role" = 'admin' WHERE "accountId" = $1`, [
        SECOND_ACCOUNT_ID,
      ]);
      await client.query(`UPDATE "Installation" SET "accountId" = $1 WHERE "id" = $2`, [
        DEMO_ACCOUNT_ID,
        other.id,
      ]);
    });
  }
});
