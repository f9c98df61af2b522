// The Connect popup in real Chromium, started from the emulator's admin page exactly as an OfficeRnD
// admin would: add an integration, click Connect, sign in (or sign up) inside the 500×700 popup, pick
// an account, confirm; the popup lands on OfficeRnD's return URL and closes, and OfficeRnD's signed
// healthcheck then answers the chosen account's name.
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page, type TestInfo } from "@playwright/test";
import pg from "pg";
import { DEMO_LOGIN, EMULATOR_URL } from "../support/ports";

const RETURN_URL = `${EMULATOR_URL}/connect/external-integration/return`;

async function addIntegration(page: Page, locations: string[] = []): Promise<string> {
  await page.goto(`${EMULATOR_URL}/?org=acme-coworking`);
  const before = await page
    .locator("[data-integration-id]")
    .evaluateAll((cards) => cards.map((card) => (card as HTMLElement).dataset.integrationId));
  if (locations.length > 0) {
    await page.getByRole("radio", { name: "Chosen locations" }).check();
    for (const name of locations) await page.getByRole("checkbox", { name }).check();
  }
  await page.getByRole("button", { name: "Add integration" }).click();
  await page.waitForLoadState();
  const after = await page
    .locator("[data-integration-id]")
    .evaluateAll((cards) => cards.map((card) => (card as HTMLElement).dataset.integrationId));
  const added = after.find((id) => !before.includes(id));
  expect(added).toBeTruthy();
  return added!;
}

/** Clicks Connect on the card; the popup is sized as OfficeRnD opens it. */
async function openConnectPopup(
  page: Page,
  integrationId: string,
): Promise<{ popup: Page; navigations: string[] }> {
  const popupEvent = page.waitForEvent("popup");
  const clickedAt = Date.now();
  page.context().on("response", (response) => {
    const url = new URL(response.url());
    if (
      url.pathname === "/connect" ||
      /^\/connect\/[0-9a-f-]{36}$/.test(url.pathname) ||
      url.pathname.startsWith("/admin/integrations/")
    )
      console.log(
        `${url.pathname} answered ${response.status()} ${Date.now() - clickedAt} ms after the click`,
      );
  });
  await page
    .locator(`[data-integration-id="${integrationId}"]`)
    .getByRole("button", { name: "Connect", exact: true })
    .click();
  const popup = await popupEvent;
  await popup.setViewportSize({ width: 500, height: 700 });
  const navigations: string[] = [];
  popup.on("framenavigated", (frame) => {
    if (frame === popup.mainFrame()) navigations.push(frame.url());
  });

  await popup.waitForURL(/\/connect\/[0-9a-f-]{36}$/);
  return { popup, navigations };
}

async function signIn(popup: Page, login = DEMO_LOGIN): Promise<void> {
  await popup.getByLabel("Email").fill(login.email);
  await popup.getByLabel("Password").fill(login.password);
  await popup.getByRole("button", { name: "Sign in" }).click();
}

async function healthcheck(page: Page, integrationId: string): Promise<string> {
  await page.goto(`${EMULATOR_URL}/?org=acme-coworking`);
  const card = page.locator(`[data-integration-id="${integrationId}"]`);
  await card.getByRole("button", { name: "Healthcheck" }).click();
  const output = card.locator("output");
  await expect(output).toContainText("Healthcheck: ");
  return (await output.textContent()) ?? "";
}

async function installationInDatabase(integrationId: string) {
  const client = new pg.Client({ connectionString: process.env.E2E_DATABASE_URL });
  await client.connect();
  try {
    const { rows } = await client.query<{
      accountName: string;
      status: string;
      locations: number;
      webhooks: number;
    }>(
      `SELECT a.name AS "accountName", i.status,
              (SELECT count(*)::int FROM "InstallationLocation" l WHERE l."installationId" = i.id) AS locations,
              (SELECT count(*)::int FROM "WebhookSubscription" w WHERE w."installationId" = i.id) AS webhooks
         FROM "Installation" i JOIN "Account" a ON a.id = i."accountId" WHERE i."integrationId" = $1`,
      [integrationId],
    );
    return rows;
  } finally {
    await client.end();
  }
}

async function expectAccessible(page: Page, name: string, testInfo: TestInfo): Promise<void> {
  const results = await new AxeBuilder({ page })
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"])
    .analyze();
  const blocking = results.violations.filter(
    (violation) => violation.impact === "serious" || violation.impact === "critical",
  );
  await testInfo.attach(`axe-connect-${name}.json`, {
    body: JSON.stringify(results.violations, null, 2),
    contentType: "application/json",
  });
  expect(
    blocking.map(
      (violation) =>
        `${violation.id}: ${violation.help} at ${violation.nodes.map((node) => node.target.join(" ")).join(", ")}`,
    ),
    name,
  ).toEqual([]);
}

test("an admin connects from OfficeRnD: sign in, pick an account, confirm; the healthcheck then names the account", async ({
  page,
}, testInfo) => {
  const integrationId = await addIntegration(page, ["Acme Shoreditch", "Acme Manchester"]);
  const openedAt = Date.now();
  const { popup, navigations } = await openConnectPopup(page, integrationId);
  const pageShownAt = Date.now();

  await expect(popup.getByRole("heading", { level: 1, name: "Connect Acme Coworking" })).toBeVisible();
  await signIn(popup);
  const picker = popup.getByRole("group", { name: "Connect to which account?" });
  await expect(picker).toBeVisible();
  await popup.getByRole("radio", { name: /Second Demo Account/ }).check();
  await expect(
    popup.getByText(
      "Connect OfficeRnD organisation Acme Coworking (Acme Manchester and Acme Shoreditch) to account Second Demo Account.",
    ),
  ).toBeVisible();
  // Designed for the 500×700 popup: the decision is on screen without scrolling.
  const connect = popup.getByRole("button", { name: "Connect Acme Coworking", exact: true });
  await expect(connect).toBeInViewport();
  await expect(popup.getByRole("button", { name: "Cancel" })).toBeInViewport();

  const closed = popup.waitForEvent("close");
  const confirmedAt = Date.now();
  await connect.click();
  await closed;
  const returnedAt = Date.now();
  expect(navigations.at(-1)).toBe(RETURN_URL);

  const timings = {
    openToConfirmPageMs: pageShownAt - openedAt,
    confirmToReturnMs: returnedAt - confirmedAt,
    openToReturnTotalMs: returnedAt - openedAt,
  };
  await testInfo.attach("connect-timings.json", {
    body: JSON.stringify(timings),
    contentType: "application/json",
  });
  console.log(
    `connect popup timings: ${JSON.stringify(timings)} (total includes signing in and picking the account)`,
  );

  expect(await installationInDatabase(integrationId)).toEqual([
    { accountName: "Second Demo Account", status: "active", locations: 2, webhooks: 1 },
  ]);
  expect(await healthcheck(page, integrationId)).toContain('"accountName": "Second Demo Account"');
});

test("keyboard only, in the popup: Cancel returns to OfficeRnD at once, which shows the integration is not connected", async ({
  page,
}, testInfo) => {
  const integrationId = await addIntegration(page);
  const { popup, navigations } = await openConnectPopup(page, integrationId);
  await expectAccessible(popup, "sign-in", testInfo);
  await popup.getByLabel("Email").focus();
  await popup.keyboard.type(DEMO_LOGIN.email);
  await popup.keyboard.press("Tab");
  await popup.keyboard.type(DEMO_LOGIN.password);
  await popup.keyboard.press("Enter");
  await expect(popup.getByRole("button", { name: "Cancel" })).toBeVisible();
  await expectAccessible(popup, "confirm", testInfo);

  // Arrow keys move between accounts; the summary follows.
  await popup.getByRole("radio", { checked: true }).focus();
  await popup.keyboard.press("ArrowDown");
  await expect(popup.locator("#connect-summary")).toContainText("to account Second Demo Account");
  await popup.getByRole("button", { name: "Cancel" }).focus();
  await popup.keyboard.press("Enter");

  // One key press: straight back to OfficeRnD, whose page asks our healthcheck and says what it heard.
  await popup.waitForURL(RETURN_URL);
  await expect(popup.getByRole("heading", { level: 1, name: "Integration not connected" })).toBeVisible();
  await expect(popup.getByText("Integration connected", { exact: true })).toHaveCount(0);
  expect(navigations.at(-1)).toBe(RETURN_URL);
  expect(await installationInDatabase(integrationId)).toEqual([]);
});

test("a new admin signs up inside the popup and connects to their new account; sign-out switches user", async ({
  page,
}) => {
  const integrationId = await addIntegration(page, ["Acme Berlin Mitte"]);
  const { popup } = await openConnectPopup(page, integrationId);
  await popup.getByRole("link", { name: "Create an account" }).click();
  // Sign-up keeps the Connect context (issue 17, item 11).
  await expect(popup.getByRole("heading", { level: 1, name: "Connect Acme Coworking" })).toBeVisible();
  const email = `new-admin-${Date.now()}@example.com`;
  await popup.getByLabel("Your name").fill("New Admin");
  await popup.getByLabel("Email").fill(email);
  await popup.getByLabel("Password").fill("correct horse battery");
  await popup.getByLabel("Account name").fill("Fresh Spaces Ltd");
  await popup.getByRole("button", { name: "Create account" }).click();

  // Back on the same pending connection, signed in as the new user with a single account: no picker.
  await expect(
    popup.getByText(
      "Connect OfficeRnD organisation Acme Coworking (Acme Berlin Mitte) to account Fresh Spaces Ltd.",
    ),
  ).toBeVisible();
  await expect(popup.getByRole("group", { name: "Connect to which account?" })).toHaveCount(0);
  await expect(popup.getByText(`Signed in as ${email}`)).toBeVisible();

  // "Not you? Sign out" returns to the sign-in form for the same connection…
  await popup.getByRole("button", { name: "Sign out" }).click();
  await expect(popup.getByRole("button", { name: "Sign in" })).toBeVisible();
  // …and signing in again continues it.
  await signIn(popup, { email, password: "correct horse battery" });
  const closed = popup.waitForEvent("close");
  await popup.getByRole("button", { name: "Connect Acme Coworking", exact: true }).click();
  await closed;
  expect(await healthcheck(page, integrationId)).toContain('"accountName": "Fresh Spaces Ltd"');
});

test("a code OfficeRnD no longer accepts ends on a plain-words page with the way back", async ({
  page,
}, testInfo) => {
  const integrationId = await addIntegration(page);
  const { connectUrl } = (await (
    await fetch(`${EMULATOR_URL}/_emulator/authorization-codes`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ integrationId }),
    })
  ).json()) as { connectUrl: string };
  const spent = new URL(connectUrl);
  spent.searchParams.set("code", "already-used-or-made-up");
  await page.setViewportSize({ width: 500, height: 700 });
  await page.goto(spent.toString());
  await expect(
    page.getByRole("heading", { level: 1, name: "OfficeRnD did not accept the connection request" }),
  ).toBeVisible();
  await expect(page.getByRole("alert", { name: "Connection outcome" })).toContainText(
    "click Connect in OfficeRnD again",
  );
  await expect(page.getByRole("link", { name: "Return to OfficeRnD" })).toHaveAttribute("href", RETURN_URL);
  // The code is gone from the address bar.
  expect(page.url()).not.toContain("already-used-or-made-up");
  await expectAccessible(page, "failure", testInfo);
});
