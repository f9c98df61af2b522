// Issue 13 part 4, Reconnect, in Chromium: OfficeRnD refuses our refresh token (the grant was revoked);
// OfficeRnD's Healthcheck gets 409 with what to do, the 500×700 configuration page shows the same
// diagnosis, and Reconnect opens OfficeRnD's admin page at exactly that integration (the emulator
// highlights its card and focuses it), where the admin presses Connect. Connecting again updates the same
// installation (same id, one row, audited as a reconnect), the healthcheck answers 200 and the open
// configuration page drops the diagnosis by itself. Also the README's screenshot
// (docs/screenshots/healthcheck-reconnect.png).
import path from "node:path";
import { mkdirSync } from "node:fs";
import { expect as baseExpect, test } from "@playwright/test";
import { PROJECT_DIR } from "../../scripts/lib/database.ts";
import {
  breakRefreshToken,
  emulator,
  seedConnectedInstallation,
  signInAsDemo,
  withDatabase,
  type ConnectedInstallation,
} from "./configure-fixtures";
import { expectNoSeriousAxeViolations } from "./axe";

const ORG = "globex-spaces";
const DOCS_SCREENSHOTS = path.join(PROJECT_DIR, "docs", "screenshots");
// Server renders and the live poll answer slowly on a machine shared with other builds.
const expect = baseExpect.configure({ timeout: 20_000 });
let installation: ConnectedInstallation;
test.describe.configure({ timeout: 180_000 });

test.beforeAll(async () => {
  installation = await seedConnectedInstallation({ org: ORG, locationCount: 1, skip: 1 });
});

const healthcheck = () =>
  emulator<{ status: number; body: Record<string, string> }>("/_emulator/signed-call", {
    integrationId: installation.integrationId,
    target: "healthcheck",
  });

test("a revoked token: the diagnosis says Reconnect, which opens that integration in OfficeRnD; Connect there updates the same installation", async ({
  page,
  context,
}) => {
  await test.step("OfficeRnD refuses our refresh token: its Healthcheck gets 409 with what to do", async () => {
    await breakRefreshToken(installation.id);
    const call = await healthcheck();
    expect(call.status).toBe(409);
    expect(call.body.error).toBe("reconnect_required");
    expect(call.body.message).toMatch(
      /^OfficeRnD refused our refresh token on \d{1,2} \w{3} \d\d:\d\d UTC: /,
    );
    expect(call.body.action).toContain("Reconnect");
  });

  await page.setViewportSize({ width: 500, height: 700 });
  await signInAsDemo(page, `/configure/${installation.id}`);
  const banner = page.getByTestId("diagnosis");
  const reconnect = page.getByRole("link", { name: "Reconnect in OfficeRnD" });

  await test.step("the configuration header shows the same diagnosis and a Reconnect deep link to that integration", async () => {
    await expect(banner).toHaveAttribute("data-failure", "reconnect_required");
    await expect(page.getByTestId("diagnosis-message")).toHaveText(
      /^OfficeRnD refused our refresh token on /,
    );
    await expect(page.getByTestId("diagnosis-action")).toContainText("click Reconnect");
    const href = new URL((await reconnect.getAttribute("href"))!);
    expect(href.searchParams.get("org")).toBe(ORG);
    expect(href.searchParams.get("integration")).toBe(installation.integrationId);
    await expectNoSeriousAxeViolations(page, "configure-reconnect");
    mkdirSync(DOCS_SCREENSHOTS, { recursive: true });
    await banner.scrollIntoViewIfNeeded();
    await page.screenshot({
      path: path.join(DOCS_SCREENSHOTS, "healthcheck-reconnect.png"),
      animations: "disabled",
    });
  });

  const admin =
    await test.step("Reconnect opens OfficeRnD's admin page at that integration, in view and focused", async () => {
      const opened = context.waitForEvent("page");
      await reconnect.click();
      const tab = await opened;
      await tab.waitForLoadState("domcontentloaded");
      const card = tab.locator(`[data-integration-id="${installation.integrationId}"]`);
      await expect(card).toHaveAttribute("data-highlighted", "true");
      await expect(tab.locator('article[data-highlighted="true"]')).toHaveCount(1);
      await expect(card).toBeFocused();
      await expect(card).toBeInViewport();
      await expect(card.getByRole("status")).toContainText("Press Connect");
      return tab;
    });

  await test.step("Connect there (already signed in: confirm) updates the same installation", async () => {
    const card = admin.locator(`[data-integration-id="${installation.integrationId}"]`);
    const popupOpened = admin.waitForEvent("popup");
    await card.getByRole("button", { name: "Connect" }).click();
    const popup = await popupOpened;
    await popup.setViewportSize({ width: 500, height: 700 });
    const account = popup.getByRole("radio", { name: /Demo Coworking Partners/ });
    await expect(
      popup.getByRole("button", { name: `Connect ${installation.orgName}`, exact: true }),
    ).toBeVisible();
    if ((await account.count()) > 0) await account.check();
    await expect(popup.getByText("This integration is already connected to")).toBeVisible();
    const closed = popup.waitForEvent("close");
    await popup.getByRole("button", { name: `Connect ${installation.orgName}`, exact: true }).click();
    await closed;

    const rows = await withDatabase(
      async (client) =>
        (
          await client.query<{ id: string; status: string }>(
            `SELECT "id", "status" FROM "Installation" WHERE "orgSlug" = $1 AND "integrationId" = $2`,
            [ORG, installation.integrationId],
          )
        ).rows,
    );
    expect(rows).toEqual([{ id: installation.id, status: "active" }]);
    const audit = await withDatabase(
      async (client) =>
        (
          await client.query<{ n: number }>(
            `SELECT count(*)::int AS n FROM "AuditEvent" WHERE "installationId" = $1 AND "action" = 'installation.reconnected'`,
            [installation.id],
          )
        ).rows[0]!,
    );
    expect(audit.n).toBe(1);
  });

  await test.step("the healthcheck answers 200 and the open configuration page drops the diagnosis by itself", async () => {
    const call = await healthcheck();
    expect(call.status).toBe(200);
    await expect(page.getByTestId("diagnosis")).toHaveCount(0);
    await expect(page.getByTestId("token-state")).toHaveText("OK");
  });
});
