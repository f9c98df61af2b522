// The whole configuration path in Chromium: OfficeRnD's admin page (the emulator) opens Configuration
// in its 500×700 popup with a signed link; the admin turns sync on for one location and watches the
// progress bar reach 100%; a partner user finds the members in the dashboard directory; the admin
// changes a field mapping (a bad value is refused next to its field) and disconnects.
import { expect, test, type Page } from "@playwright/test";
import { EMULATOR_URL } from "../support/ports";
import { DEMO_ACCOUNT_ID, emulator, screenshot, seedConnectedInstallation, signInAsDemo, startWorker, type ConnectedInstallation } from "./configure-fixtures";
import type { Managed } from "../../scripts/lib/processes.ts";

const ORG = "acme-coworking";

let worker: Managed;
let installation: ConnectedInstallation;

test.beforeAll(async () => {
  worker = startWorker();
  installation = await seedConnectedInstallation({ org: ORG, locationCount: 2 });
});

test.afterAll(async () => {
  await fetch(`${EMULATOR_URL}/_emulator/faults`, { method: "DELETE" });
  await worker?.stop();
});

/** Active members of one location at the emulator: what a sync with the default settings copies. */
async function activeMembersAt(locationId: string): Promise<number> {
  const response = await fetch(`${EMULATOR_URL}/_emulator/data/${ORG}?kind=members&location=${locationId}`);
  const lines = (await response.text()).split("\n").filter(Boolean);
  return lines.map((line) => JSON.parse(line) as { status?: string }).filter((member) => member.status === "active").length;
}

async function openConfigurationFromEmulator(page: Page): Promise<Page> {
  await page.goto(`${EMULATOR_URL}/?org=${ORG}`);
  const card = page.locator(`[data-integration-id="${installation.integrationId}"]`);
  const popupOpened = page.waitForEvent("popup");
  await card.getByRole("button", { name: "Configure" }).click();
  const popup = await popupOpened;
  await popup.setViewportSize({ width: 500, height: 700 });
  await popup.waitForURL(new RegExp(`/configure/${installation.id}$`));
  return popup;
}

test("an OfficeRnD admin configures one location, watches it sync, changes a mapping and disconnects", async ({ page, context }) => {
  test.setTimeout(240_000);
  const [first, second] = installation.locations as [ConnectedInstallation["locations"][number], ConnectedInstallation["locations"][number]];
  let popup!: Page;

  await test.step("Configure on OfficeRnD's admin page opens the configuration in a popup", async () => {
    popup = await openConfigurationFromEmulator(page);
    await expect(popup.getByRole("heading", { level: 1, name: installation.orgName })).toBeVisible();
    await expect(popup.getByTestId("account-name")).toHaveText("Demo Coworking Partners");
    await expect(popup.getByTestId("token-state")).toHaveText("OK");
    await expect(popup.getByRole("heading", { level: 2, name: first.name })).toBeVisible();
    await expect(popup.getByRole("heading", { level: 2, name: second.name })).toBeVisible();
    await screenshot(popup, "configure-initial");
  });

  const firstCard = () => popup.locator(`section[data-location-id="${first._id}"]`);
  const secondCard = () => popup.locator(`section[data-location-id="${second._id}"]`);

  await test.step("turning sync on for one location shows a live progress bar that reaches 100%", async () => {
    // Slow OfficeRnD's member pages down so the bar is seen moving, not only finished.
    await emulator("/_emulator/faults", { path: `/api/v2/organizations/${ORG}/members`, method: "GET", latencyMs: 1200, times: 6 });
    await firstCard()
      .getByRole("checkbox", { name: new RegExp(`^Sync ${first.name}`) })
      .check();
    await firstCard().getByRole("button", { name: "Save" }).click();
    await expect(firstCard().getByTestId("settings-status")).toHaveText("Saved. A sync has been queued.");
    const bar = firstCard().getByRole("progressbar", { name: `Sync progress, ${first.name}` });
    await expect(bar).toBeVisible();
    // Updates arrive without a reload: the same page object sees queued → running → succeeded.
    await expect(firstCard().getByTestId("sync-progress")).toHaveAttribute("data-status", "running", { timeout: 30_000 });
    await screenshot(popup, "configure-syncing");
    await expect(bar).toHaveAttribute("aria-valuenow", "100", { timeout: 90_000 });
    await expect(firstCard().getByTestId("sync-progress")).toHaveAttribute("data-status", "succeeded");
    // The page refreshed itself when the run ended: the run list shows it.
    await expect(firstCard().getByRole("region", { name: `Last sync runs, ${first.name}` })).toContainText("succeeded");
    await expect(firstCard().getByText("Sync on", { exact: true })).toBeVisible();
    await expect(secondCard().getByText("Sync off", { exact: true })).toBeVisible();
    await expect(popup.getByTestId("last-sync")).not.toHaveText("never");
    await screenshot(popup, "configure");
  });

  await test.step("the synced members appear in the partner dashboard's directory", async () => {
    const dashboard = await context.newPage();
    await signInAsDemo(dashboard);
    await expect(dashboard.getByRole("heading", { level: 3, name: installation.orgName })).toBeVisible();
    await screenshot(dashboard, "dashboard");
    await dashboard.getByRole("link", { name: "Directory" }).click();
    await expect(dashboard).toHaveURL(new RegExp(`/dashboard/directory\\?account=${DEMO_ACCOUNT_ID}`));
    const expected = await activeMembersAt(first._id);
    expect(expected).toBeGreaterThan(0);
    await dashboard.getByLabel("Location").selectOption({ label: first.name });
    await dashboard.getByRole("button", { name: "Apply" }).click();
    await expect(dashboard.getByRole("heading", { level: 3, name: `${expected} members` })).toBeVisible();
    const table = dashboard.getByTestId("directory-table");
    await expect(table.locator("tbody tr").first()).toContainText(first.name);
    await expect(table.locator("tbody tr").first()).toContainText("active");
    await screenshot(dashboard, "dashboard-directory");
    await dashboard.getByRole("link", { name: "Sync history" }).click();
    await expect(dashboard.getByTestId("records-chart").locator("rect[data-records]").last()).not.toHaveAttribute("data-records", "0");
    await screenshot(dashboard, "dashboard-history");
    await dashboard.close();
  });

  await test.step("a bad mapping is refused next to its field; a good one is saved and audited", async () => {
    await firstCard().getByText("Field mapping").click();
    const properties = firstCard().getByRole("textbox", { name: "Custom properties" }).first();
    await properties.fill("not a key!");
    await firstCard().getByRole("button", { name: "Save" }).click();
    await expect(properties).toHaveAttribute("aria-invalid", "true");
    await expect(properties).toHaveAccessibleDescription(/is not a property name/);
    await expect(firstCard().getByTestId("settings-status")).toContainText("Please correct the highlighted fields.");
    await screenshot(popup, "configure-mapping-error");

    await properties.fill("plan=membershipPlan");
    await firstCard().getByRole("combobox", { name: "name" }).first().selectOption("email");
    await firstCard().getByRole("button", { name: "Save" }).click();
    await expect(firstCard().getByTestId("settings-status")).toHaveText(/^Saved/);
    await expect(properties).not.toHaveAttribute("aria-invalid", "true");

    const audit = await context.newPage();
    await signInAsDemo(audit, `/dashboard/audit?account=${DEMO_ACCOUNT_ID}`);
    await expect(audit.getByTestId("audit-table")).toContainText("location.settings.updated");
    await expect(audit.getByTestId("audit-table")).toContainText("membershipPlan");
    await screenshot(audit, "dashboard-audit");
    await audit.close();
  });

  await test.step("disconnect asks for confirmation, then disconnects; Return goes back to OfficeRnD", async () => {
    const danger = popup.getByRole("button", { name: "Disconnect" });
    await danger.click();
    await expect(popup.getByText("Tick the box to confirm")).toBeVisible();
    await expect(popup.getByTestId("disconnected")).toHaveCount(0);
    await popup.getByRole("checkbox", { name: /will stop syncing/ }).check();
    await danger.click();
    // The page refreshes into its disconnected state: no settings, no Sync now, a way back to OfficeRnD.
    await expect(popup.getByRole("heading", { level: 2, name: "Disconnected" })).toBeVisible();
    await expect(popup.getByRole("button", { name: "Save" })).toHaveCount(0);
    await expect(popup.getByTestId("token-state")).toHaveText("Disconnected");
    await screenshot(popup, "configure-disconnected");
    const closed = popup.waitForEvent("close");
    await popup.getByRole("link", { name: "Return to OfficeRnD" }).first().click();
    await closed;
  });
});
