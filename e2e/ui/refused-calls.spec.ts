// Issue 13 part 1 in Chromium: "Refused calls from OfficeRnD" — the signature explainer's record — on the
// configuration page at OfficeRnD's 500×700 popup size and on the dashboard (1280×800), with axe clean.
// Two calls are refused for real: OfficeRnD's Healthcheck signed ten minutes ago (the emulator signs it
// with its clock 600 s back) and a Configuration link whose parameters were put in another order after
// signing. Also the README's screenshots (docs/screenshots/refused-calls*.png).
import path from "node:path";
import { mkdirSync } from "node:fs";
import { expect as baseExpect, test } from "@playwright/test";
import { PROJECT_DIR } from "../../scripts/lib/database.ts";
import {
  DEMO_ACCOUNT_ID,
  emulator,
  seedConnectedInstallation,
  signInAsDemo,
  withDatabase,
  type ConnectedInstallation,
} from "./configure-fixtures";
import { expectNoSeriousAxeViolations } from "./axe";

const ORG = "acme-coworking";
const TITLE = "Refused calls from OfficeRnD";
const DOCS_SCREENSHOTS = path.join(PROJECT_DIR, "docs", "screenshots");
const expect = baseExpect.configure({ timeout: 15_000 });
let installation: ConnectedInstallation;
test.describe.configure({ timeout: 180_000 });

test.beforeAll(async () => {
  installation = await seedConnectedInstallation({ org: ORG, locationCount: 2, skip: 2 });
  // The page also lists calls refused for the organisation's slug; earlier specs refuse some for this
  // shared demo organisation, so the list starts empty here and holds exactly the two below.
  await withDatabase((client) =>
    client.query(`DELETE FROM "RefusedSignedCall" WHERE "orgSlug" = $1 OR "installationId" = $2`, [
      ORG,
      installation.id,
    ]),
  );
  // 1. OfficeRnD's Healthcheck, signed 600 s ago: refused as stale.
  const stale = await emulator<{ status: number }>("/_emulator/signed-call", {
    integrationId: installation.integrationId,
    target: "healthcheck",
    timestampOffset: -600,
  });
  if (stale.status !== 401) throw new Error(`the stale healthcheck answered ${stale.status}, not 401`);
  // 2. A Configuration link signed in OfficeRnD's order, then sent with its parameters reversed.
  const { url } = await emulator<{ url: string }>("/_emulator/signed-call", {
    integrationId: installation.integrationId,
    target: "configure",
  });
  const signed = new URL(url);
  const params = [...signed.searchParams.entries()];
  const signature = params.filter(([key]) => key === "signature");
  const reordered = new URLSearchParams([
    ...params.filter(([key]) => key !== "signature").reverse(),
    ...signature,
  ]);
  const refused = await fetch(`${signed.origin}${signed.pathname}?${reordered.toString()}`, {
    redirect: "manual",
  });
  if (refused.status !== 401)
    throw new Error(`the reordered configuration link answered ${refused.status}, not 401`);
});

test("the configuration popup lists the refused calls with why, the clock skew, the secrets tried and the near miss", async ({
  page,
}) => {
  await page.setViewportSize({ width: 500, height: 700 });
  await signInAsDemo(page, `/configure/${installation.id}`);
  const card = page.locator("section", { has: page.getByRole("heading", { name: TITLE }) });
  const calls = card.getByRole("list", { name: TITLE }).getByRole("listitem");
  await expect(calls).toHaveCount(2);
  await expect(card).toContainText("The last 2 signed calls we refused, newest first.");

  // Newest first: the reordered Configuration link, which the secret fits in OfficeRnD's order.
  const reordered = calls.nth(0);
  await expect(reordered).toContainText("Configuration");
  await expect(reordered).toContainText("(mismatch)");
  await expect(reordered).toContainText(
    "The signature does not fit any secret of this organisation's installations.",
  );
  await expect(reordered).toContainText("signed with the parameters in another order");
  await expect(reordered).toContainText(/Secrets tried\s*\d+ \(this installation: [0-9a-f]{8}\)/);

  const stale = calls.nth(1);
  await expect(stale).toContainText("Healthcheck");
  await expect(stale).toContainText("(stale)");
  await expect(stale).toContainText("The signature's timestamp is too old");
  const skew = Number((await stale.textContent())!.match(/Clock skew\s*(\d+) s old/)![1]);
  expect(skew).toBeGreaterThanOrEqual(595);
  await expect(stale).toContainText(/Would have matched\s*received/);
  // OfficeRnD's Healthcheck signs no memberId.
  await expect(stale).toContainText('{"slug":"…","locations":"…","organizationId":"…"}');
  // Values are never shown: not the organisation's id, not the slug.
  await expect(card).not.toContainText(ORG);

  await expectNoSeriousAxeViolations(page, "configure-refused-calls");
  mkdirSync(DOCS_SCREENSHOTS, { recursive: true });
  await card.scrollIntoViewIfNeeded();
  await card.screenshot({ path: path.join(DOCS_SCREENSHOTS, "refused-calls.png"), animations: "disabled" });
});

test("the dashboard lists the account's refused calls", async ({ page }) => {
  await signInAsDemo(page, `/dashboard?account=${DEMO_ACCOUNT_ID}`);
  const card = page.locator("section", { has: page.getByRole("heading", { name: TITLE }) });
  await expect(card).toBeVisible();
  const calls = card.getByRole("list", { name: TITLE }).getByRole("listitem");
  // Other specs' installations of this account may have refused calls too: ours are among them.
  await expect(
    calls.filter({ hasText: "signed with the parameters in another order" }).first(),
  ).toBeVisible();
  await expect(calls.filter({ hasText: "(stale)" }).first()).toBeVisible();
  await expectNoSeriousAxeViolations(page, "dashboard-refused-calls");
  await card.scrollIntoViewIfNeeded();
  await card.screenshot({
    path: path.join(DOCS_SCREENSHOTS, "refused-calls-dashboard.png"),
    animations: "disabled",
  });
});
