// The whole path in Chromium, against the emulator: on OfficeRnD's admin page the admin adds the
// integration for two locations and connects it (sign in, pick an account, confirm in the popup); the
// Configure button opens the configuration in its 500×700 popup with a signed link; the admin turns
// sync on for one location and watches the progress bar reach 100%; webhook events show per location;
// a partner user finds the members in the dashboard directory; the admin changes a field mapping (a
// bad value is refused next to its field) and disconnects, which also removes our webhooks at OfficeRnD.
import { expect, test, type Page } from "@playwright/test";
import { DEMO_LOGIN, EMULATOR_URL } from "../support/ports";
import {
  DEMO_ACCOUNT_ID,
  emulator,
  screenshot,
  signInAsDemo,
  startWorker,
  withDatabase,
  type ConnectedInstallation,
} from "./configure-fixtures";
import type { Managed } from "../../scripts/lib/processes.ts";
import { expectNoSeriousAxeViolations } from "./axe";

const ORG = "acme-coworking";

let worker: Managed;
let installation: ConnectedInstallation;

test.beforeAll(() => {
  worker = startWorker();
});

test.afterAll(async () => {
  await fetch(`${EMULATOR_URL}/_emulator/faults`, { method: "DELETE" });
  await worker?.stop();
});

/** Active members of one location at the emulator: what a sync with the default settings copies. */
async function activeMembersAt(locationId: string): Promise<number> {
  const response = await fetch(`${EMULATOR_URL}/_emulator/data/${ORG}?kind=members&location=${locationId}`);
  const lines = (await response.text()).split("\n").filter(Boolean);
  return lines
    .map((line) => JSON.parse(line) as { status?: string })
    .filter((member) => member.status === "active").length;
}

type EmulatorState = {
  organizations: { slug: string; name: string; locations: ConnectedInstallation["locations"] }[];
};

/** Connect exactly as an admin does: Add integration (two locations), Connect, sign in, confirm. */
async function connectThroughThePopup(page: Page): Promise<ConnectedInstallation> {
  const state = await emulator<EmulatorState>("/_emulator/state");
  const organization = state.organizations.find((candidate) => candidate.slug === ORG)!;
  const locations = organization.locations.slice(0, 2);
  const known = new Set(
    (await emulator<{ _id: string }[]>(`/_emulator/integrations?org=${ORG}`)).map(
      (integration) => integration._id,
    ),
  );

  await page.goto(`${EMULATOR_URL}/?org=${ORG}`);
  await page.getByRole("radio", { name: "Chosen locations" }).check();
  for (const location of locations) await page.getByRole("checkbox", { name: location.name }).check();
  await page.getByRole("button", { name: "Add integration" }).click();
  const added = (await emulator<{ _id: string }[]>(`/_emulator/integrations?org=${ORG}`)).find(
    (integration) => !known.has(integration._id),
  );
  expect(added).toBeDefined();
  const integrationId = added!._id;

  const card = page.locator(`[data-integration-id="${integrationId}"]`);
  const popupOpened = page.waitForEvent("popup");
  await card.getByRole("button", { name: "Connect" }).click();
  const popup = await popupOpened;
  await popup.setViewportSize({ width: 500, height: 700 });
  await expect(popup.getByRole("heading", { level: 1, name: `Connect ${organization.name}` })).toBeVisible();
  await expectNoSeriousAxeViolations(popup, "connect-sign-in", { soft: true });
  await popup.getByLabel("Email").fill(DEMO_LOGIN.email);
  await popup.getByLabel("Password").fill(DEMO_LOGIN.password);
  await popup.getByRole("button", { name: "Sign in" }).click();
  await popup.getByRole("radio", { name: /Demo Coworking Partners/ }).check();
  await expectNoSeriousAxeViolations(popup, "connect-confirm", { soft: true });
  await screenshot(popup, "connect");
  const closed = popup.waitForEvent("close");
  await popup.getByRole("button", { name: `Connect ${organization.name}`, exact: true }).click();
  await closed;
  await expect(card.getByText("Connected", { exact: true })).toBeVisible();

  const id = await withDatabase(async (client) => {
    const result = await client.query<{ id: string }>(
      `SELECT "id" FROM "Installation" WHERE "integrationId" = $1 AND "status" = 'active'`,
      [integrationId],
    );
    return result.rows[0]?.id;
  });
  expect(id).toBeDefined();
  return { id: id!, integrationId, orgSlug: ORG, orgName: organization.name, locations };
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

/** The README's picture: OfficeRnD's admin page and the configuration popup side by side. */
async function composeHomeScreenshot(page: Page, admin: Buffer, popup: Buffer): Promise<void> {
  const composite = await page.context().newPage();
  await composite.setViewportSize({ width: 1600, height: 720 });
  await composite.setContent(`<body style="margin:0;background:#e2e8f0;display:flex;gap:24px;padding:24px;align-items:flex-start">
    <img src="data:image/png;base64,${admin.toString("base64")}" style="width:1040px;box-shadow:0 4px 16px #0003">
    <img src="data:image/png;base64,${popup.toString("base64")}" style="width:480px;box-shadow:0 4px 16px #0003"></body>`);
  await screenshot(composite, "home");
  await composite.close();
}

test("an OfficeRnD admin configures one location, watches it sync, changes a mapping and disconnects", async ({
  page,
  context,
}) => {
  test.setTimeout(240_000);
  let popup!: Page;

  await test.step("the admin adds and connects the integration from OfficeRnD's admin page", async () => {
    installation = await connectThroughThePopup(page);
  });
  const [first, second] = installation.locations as [
    ConnectedInstallation["locations"][number],
    ConnectedInstallation["locations"][number],
  ];

  await test.step("Configure on OfficeRnD's admin page opens the configuration in a popup", async () => {
    popup = await openConfigurationFromEmulator(page);
    await expect(popup.getByRole("heading", { level: 1, name: installation.orgName })).toBeVisible();
    await expect(popup.getByTestId("account-name")).toHaveText("Demo Coworking Partners");
    await expect(popup.getByTestId("token-state")).toHaveText("OK");
    await expect(popup.getByTestId("webhook-state")).toContainText("Subscribed");
    await expect(popup.getByRole("link", { name: "Done", exact: true })).toHaveAttribute(
      "href",
      `${EMULATOR_URL}/connect/external-integration/return`,
    );
    await expect(popup.getByRole("heading", { level: 2, name: first.name })).toBeVisible();
    await expect(popup.getByRole("heading", { level: 2, name: second.name })).toBeVisible();
    await screenshot(popup, "configure-initial");
  });

  const firstCard = () => popup.locator(`section[data-location-id="${first._id}"]`);
  const secondCard = () => popup.locator(`section[data-location-id="${second._id}"]`);
  /** Location cards start collapsed to a summary row when there are several: open one as a user does. */
  const expandFirst = async () => {
    if ((await firstCard().locator("details").first().getAttribute("open")) === null)
      await firstCard().locator("summary").first().click();
  };

  await test.step("turning sync on for one location shows a live progress bar that reaches 100%", async () => {
    // Slow OfficeRnD's member pages down so the bar is seen moving, not only finished.
    await emulator("/_emulator/faults", {
      path: `/api/v2/organizations/${ORG}/members`,
      method: "GET",
      latencyMs: 1200,
      times: 6,
    });
    await expandFirst();
    await firstCard()
      .getByRole("checkbox", { name: new RegExp(`^Sync ${first.name}`) })
      .check();
    await firstCard().getByRole("button", { name: "Save" }).click();
    await expect(firstCard().getByTestId("settings-status")).toHaveText("Saved. A sync has been queued.");
    const bar = firstCard().getByRole("progressbar", { name: `Sync progress, ${first.name}` });
    await expect(bar).toBeVisible();
    // Updates arrive without a reload: the same page object sees queued → running → succeeded.
    await expect(firstCard().getByTestId("sync-progress")).toHaveAttribute("data-status", "running", {
      timeout: 30_000,
    });
    await screenshot(popup, "configure-syncing");
    await expect(firstCard().getByTestId("sync-progress")).toHaveAttribute("data-status", "succeeded", {
      timeout: 90_000,
    });
    // Once finished, the bar gives way to what the run did.
    await expect(firstCard().getByTestId("last-run-result")).toContainText("added");
    // The page follows the run live: the run list shows it.
    await expect(firstCard().getByRole("region", { name: `Last sync runs, ${first.name}` })).toContainText(
      "succeeded",
    );
    await expect(firstCard().getByText("Sync on", { exact: true })).toBeVisible();
    await expect(secondCard().getByText("Sync off", { exact: true })).toBeVisible();
    await expect(popup.getByTestId("last-sync")).not.toHaveText("never");
    await screenshot(popup, "configure");
  });

  await test.step("Sync now queues another run, which the same bar follows to the end", async () => {
    await firstCard()
      .getByRole("button", { name: new RegExp(`^Sync now\\W+${first.name}$`) })
      .click();
    await expect(
      firstCard()
        .getByRole("status")
        .filter({ hasText: /Sync queued|already under way/ }),
    ).toBeVisible();
    const runs = firstCard()
      .getByRole("region", { name: `Last sync runs, ${first.name}` })
      .locator("tbody tr");
    await expect(runs).toHaveCount(2, { timeout: 30_000 });
    await expect(runs.first()).toContainText("Sync now");
    await expect(runs.first()).toContainText("succeeded", { timeout: 60_000 });
    await expect(firstCard().getByTestId("sync-progress")).toHaveAttribute("data-status", "succeeded");
  });

  await test.step("OfficeRnD's webhooks show up as recent events of their location", async () => {
    await page
      .locator(`[data-integration-id="${installation.integrationId}"]`)
      .getByRole("button", { name: "Generate activity" })
      .click();
    await expect(async () => {
      await popup.reload();
      await expect(popup.locator("section[data-location-id] li code").first()).toHaveText(
        /^(member|company)\./,
        { timeout: 1000 },
      );
    }).toPass({ timeout: 30_000 });
    await popup.evaluate(() => window.scrollTo(0, 0));
    await page
      .locator("#integrations-heading")
      .evaluate((heading) => heading.scrollIntoView({ block: "start" }));
    await composeHomeScreenshot(page, await page.screenshot(), await popup.screenshot());
  });

  await test.step("the synced members appear in the partner dashboard's directory", async () => {
    const dashboard = await context.newPage();
    await signInAsDemo(dashboard);
    // Other specs may have connected the same organisation too: this installation is the one linked here.
    await expect(dashboard.locator(`a[href="/configure/${installation.id}?as=partner"]`)).toBeVisible();
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
    await expect(table.locator("tbody tr").first()).toContainText("Active");
    await screenshot(dashboard, "dashboard-directory");
    await dashboard.getByRole("link", { name: "Sync history" }).click();
    await expect(
      dashboard.getByTestId("records-chart").locator("rect[data-records]").last(),
    ).not.toHaveAttribute("data-records", "0");
    await screenshot(dashboard, "dashboard-history");
    await dashboard.close();
  });

  await test.step("a bad mapping is refused next to its field; a good one is saved and audited", async () => {
    await expandFirst();
    await firstCard().getByText("Field mapping").click();
    const properties = firstCard().getByRole("textbox", { name: "Custom properties" }).first();
    await properties.fill("not a key!");
    await firstCard().getByRole("button", { name: "Save" }).click();
    await expect(properties).toHaveAttribute("aria-invalid", "true");
    await expect(properties).toHaveAccessibleDescription(/is not a property name/);
    await expect(firstCard().getByTestId("settings-status")).toContainText(
      "Please correct the highlighted fields.",
    );
    await screenshot(popup, "configure-mapping-error");

    await properties.fill("plan=membershipPlan");
    await firstCard().getByRole("combobox", { name: "name" }).first().selectOption("email");
    await firstCard().getByRole("button", { name: "Save" }).click();
    await expect(firstCard().getByTestId("settings-status")).toHaveText(/^Saved/);
    await expect(properties).not.toHaveAttribute("aria-invalid", "true");

    const audit = await context.newPage();
    await signInAsDemo(audit, `/dashboard/audit?account=${DEMO_ACCOUNT_ID}`);
    await expect(audit.getByTestId("audit-table")).toContainText(
      `An OfficeRnD admin changed the settings of ${first.name}: changed the field mapping`,
    );
    const row = audit.locator('li[data-action="location.settings.updated"]').first();
    await row.getByText("Details").click();
    await expect(row).toContainText("membershipPlan");
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
    await popup.getByRole("link", { name: "Return to OfficeRnD", exact: true }).first().click();
    // OfficeRnD asks our healthcheck and, as it is no longer connected, says so and leaves the window open.
    await expect(popup).toHaveURL(/\/connect\/external-integration\/return/);
    await expect(popup.getByRole("heading", { level: 1, name: "Integration not connected" })).toBeVisible();
    await popup.close();
    // Our subscription is gone at OfficeRnD too.
    const webhooks = await emulator<{ url: string }[]>(`/_emulator/webhooks?org=${ORG}`);
    expect(
      webhooks.filter((webhook) => webhook.url.endsWith(`/api/webhooks/officernd/${installation.id}`)),
    ).toEqual([]);
  });
});
