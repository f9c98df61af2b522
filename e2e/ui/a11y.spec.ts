// axe on every page (home, sign-in, sign-up, dashboard sections, configuration in the popup and on a
// desktop, Connect's failure page): no serious or critical violation. Plus keyboard-only use of the
// configuration form.
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page, type TestInfo } from "@playwright/test";
import {
  DEMO_ACCOUNT_ID,
  emulator,
  seedConnectedInstallation,
  signInAsDemo,
  type ConnectedInstallation,
} from "./configure-fixtures";

const BLOCKING = new Set(["serious", "critical"]);

// axe over whole pages is slow on a loaded machine.
test.describe.configure({ timeout: 180_000 });

async function expectAccessible(page: Page, name: string, testInfo: TestInfo): Promise<void> {
  const results = await new AxeBuilder({ page })
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"])
    .analyze();
  const summary = results.violations.map((violation) => ({
    id: violation.id,
    impact: violation.impact,
    nodes: violation.nodes.length,
    help: violation.help,
    targets: violation.nodes
      .slice(0, 3)
      .map((node) => `${node.target.join(" ")}: ${node.failureSummary ?? ""}`),
  }));
  await testInfo.attach(`axe-${name}.json`, {
    body: JSON.stringify({ url: page.url(), passes: results.passes.length, violations: summary }, null, 2),
    contentType: "application/json",
  });
  console.log(
    `axe ${name}: ${results.passes.length} rules pass, violations: ${summary.length === 0 ? "none" : summary.map((item) => `${item.id} (${item.impact}, ${item.nodes})`).join(", ")}`,
  );
  expect(
    summary.filter((violation) => BLOCKING.has(violation.impact ?? "")),
    `${name} at ${page.url()}`,
  ).toEqual([]);
}

let installation: ConnectedInstallation;

test.beforeAll(async () => {
  installation = await seedConnectedInstallation({ org: "globex-spaces", locationCount: 2 });
});

async function openConfiguration(page: Page): Promise<void> {
  const { url } = await emulator<{ url: string }>("/_emulator/signed-call", {
    integrationId: installation.integrationId,
    target: "configure",
  });
  await page.goto(url);
  await page.waitForURL(new RegExp(`/configure/${installation.id}$`));
}

test("public pages: home, sign-in, sign-up and Connect's failure page", async ({ page }, testInfo) => {
  await page.goto("/");
  await expectAccessible(page, "home", testInfo);
  await page.goto("/signin");
  await expectAccessible(page, "signin", testInfo);
  await page.getByLabel("Email").fill("demo@example.com");
  await page.getByLabel("Password").fill("not-the-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert", { name: "Sign-in error" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Sign in" })).toBeEnabled();
  await expectAccessible(page, "signin-error", testInfo);
  for (const path of ["/signup", "/connect/failed?reason=invalid_request"]) {
    const response = await page.goto(path);
    expect(response?.status(), path).toBe(200);
    await expectAccessible(page, path.split("?")[0]!.slice(1).replace("/", "-"), testInfo);
  }
});

test("dashboard sections, the account switcher and a refused account", async ({ page }, testInfo) => {
  await signInAsDemo(page);
  for (const section of ["", "/directory", "/history", "/audit"]) {
    await page.goto(`/dashboard${section}?account=${DEMO_ACCOUNT_ID}`);
    await expectAccessible(page, `dashboard${section.replace("/", "-")}`, testInfo);
  }
  await page.goto(`/dashboard/directory?account=${DEMO_ACCOUNT_ID}&q=zzzz-no-match`);
  await expectAccessible(page, "dashboard-directory-empty", testInfo);
  await page.goto("/dashboard?account=00000000-0000-4000-8000-00000000beef");
  await expectAccessible(page, "dashboard-forbidden", testInfo);
});

test("the configuration page in the 500×700 popup and on a desktop, including errors and an open mapping", async ({
  page,
}, testInfo) => {
  await page.setViewportSize({ width: 500, height: 700 });
  await openConfiguration(page);
  await expectAccessible(page, "configure-popup", testInfo);
  const card = page.locator(`section[data-location-id="${installation.locations[0]!._id}"]`);
  await card.locator("summary").first().click();
  await expectAccessible(page, "configure-popup-card-open", testInfo);
  await card.getByText("Field mapping").click();
  await card.getByRole("textbox", { name: "Custom properties" }).first().fill("bad key!");
  await card.getByRole("checkbox", { name: "Active" }).uncheck();
  await card.getByRole("button", { name: "Save" }).click();
  await expect(card.getByTestId("settings-status")).toContainText("Please correct the highlighted fields.");
  await expectAccessible(page, "configure-popup-errors", testInfo);
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.reload();
  await expectAccessible(page, "configure-desktop", testInfo);
});

test("the configuration page without a session points to OfficeRnD and passes axe", async ({
  page,
}, testInfo) => {
  const response = await page.goto(`/configure/${installation.id}`);
  expect(response?.status()).toBe(401);
  await expect(page.getByRole("heading", { level: 1 })).toContainText("OfficeRnD");
  await expectAccessible(page, "configure-no-session", testInfo);
});

test("the configuration form works with the keyboard alone", async ({ page }) => {
  await page.setViewportSize({ width: 500, height: 700 });
  await openConfiguration(page);
  const location = installation.locations[1]!;
  const card = page.locator(`section[data-location-id="${location._id}"]`);
  // The location's summary row opens from the keyboard.
  await card.locator("summary").first().focus();
  await page.keyboard.press("Enter");
  const toggle = card.getByRole("checkbox", { name: new RegExp(`^Sync ${location.name}`) });
  await toggle.focus();
  await page.keyboard.press("Space");
  await expect(toggle).toBeChecked();
  // Tab moves on to the next control in reading order: what to sync.
  await page.keyboard.press("Tab");
  await expect(card.getByRole("checkbox", { name: "Members" })).toBeFocused();
  await card.getByRole("button", { name: "Save" }).focus();
  await page.keyboard.press("Enter");
  await expect(card.getByTestId("settings-status")).toHaveText(/^Saved\./);
  // The disclosure opens from the keyboard too.
  await card.getByText("Field mapping").focus();
  await page.keyboard.press("Enter");
  await expect(card.getByRole("combobox", { name: "email" }).first()).toBeVisible();
});

test("the disconnected configuration page (result, status lines, the way back) passes axe", async ({
  page,
}, testInfo) => {
  const disconnected = await seedConnectedInstallation({ org: "globex-spaces", locationCount: 1 });
  const { url } = await emulator<{ url: string }>("/_emulator/signed-call", {
    integrationId: disconnected.integrationId,
    target: "configure",
  });
  await page.setViewportSize({ width: 500, height: 700 });
  await page.goto(url);
  await page.getByRole("checkbox", { name: /will stop syncing/ }).check();
  await page.getByRole("button", { name: "Disconnect" }).click();
  await expect(page.getByTestId("disconnected")).toBeFocused();
  await expectAccessible(page, "configure-disconnected", testInfo);
});
