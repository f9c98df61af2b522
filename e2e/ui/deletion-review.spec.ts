// The mass-delete breaker in Chromium at OfficeRnD's 500×700 popup size (issue 13 part 2): a real mass
// removal at the emulator is previewed ("Preview sync" writes nothing), the full sync pauses before
// deleting, the configuration page shows the numbers and a sample, and "Apply deletions" removes them.
import path from "node:path";
import { expect, test } from "@playwright/test";
import { PROJECT_DIR } from "../../scripts/lib/database.ts";
import type { Managed } from "../../scripts/lib/processes.ts";
import { EMULATOR_URL } from "../support/ports";
import {
  seedConnectedInstallation,
  signInAsDemo,
  startWorker,
  withDatabase,
  type ConnectedInstallation,
} from "./configure-fixtures";
import { expectNoSeriousAxeViolations } from "./axe";

const ORG = "acme-coworking";
let worker: Managed;
let installation: ConnectedInstallation;
let locationId: string;

test.beforeAll(async () => {
  worker = startWorker();
  // The organisation's fourth location, which no other spec syncs: this one deletes members there.
  installation = await seedConnectedInstallation({ org: ORG, locationCount: 4 });
  locationId = installation.locations[3]!._id;
  await withDatabase(async (client) => {
    await client.query(
      `DELETE FROM "InstallationLocation" WHERE "installationId" = $1 AND "locationId" <> $2`,
      [installation.id, locationId],
    );
    await client.query(
      `UPDATE "Installation" SET "syncEnabled" = true, "locationsKey" = $2 WHERE "id" = $1`,
      [installation.id, locationId],
    );
  });
});

test.afterAll(async () => {
  await worker?.stop();
});

async function activeMembers(): Promise<string[]> {
  const response = await fetch(`${EMULATOR_URL}/_emulator/data/${ORG}?kind=members&location=${locationId}`);
  const lines = (await response.text()).split("\n").filter(Boolean);
  return lines
    .map((line) => JSON.parse(line) as { _id: string; status?: string })
    .filter((member) => member.status === "active")
    .map((member) => member._id);
}

async function lastRunStatus(): Promise<string | undefined> {
  return withDatabase(async (client) => {
    const result = await client.query<{ status: string }>(
      `SELECT "status" FROM "SyncRun" WHERE "installationId" = $1 AND "locationId" = $2 ORDER BY "createdAt" DESC LIMIT 1`,
      [installation.id, locationId],
    );
    return result.rows[0]?.status;
  });
}

const liveMembers = () =>
  withDatabase(async (client) => {
    const result = await client.query<{ count: number }>(
      `SELECT count(*)::int AS "count" FROM "Member" WHERE "installationId" = $1 AND "deletedAt" IS NULL`,
      [installation.id],
    );
    return result.rows[0]!.count;
  });

test("a mass removal is previewed, paused before deleting, shown with its numbers and applied on request", async ({
  page,
}) => {
  test.setTimeout(300_000);
  await page.setViewportSize({ width: 500, height: 700 });
  await signInAsDemo(page, `/configure/${installation.id}`);
  const card = page.locator(`[data-location-id="${locationId}"]`);
  await card.getByRole("button", { name: /^Sync now/ }).click();
  await expect.poll(lastRunStatus, { timeout: 60_000 }).toBe("succeeded");
  const held = await liveMembers();

  // A real mass removal at OfficeRnD: 40 % of the location's active members (at least 5).
  const active = await activeMembers();
  expect(active.length).toBe(held);
  const removed = active.slice(0, Math.max(5, Math.ceil(active.length * 0.4)));
  for (const id of removed) {
    const response = await fetch(`${EMULATOR_URL}/_emulator/orgs/${ORG}/members/${id}`, { method: "DELETE" });
    expect(response.ok).toBe(true);
  }

  await page.reload();
  const preview = page.getByTestId("sync-preview");
  await preview.getByRole("button", { name: /^Preview sync/ }).click();
  await expect(preview.getByRole("status")).toContainText(
    `create 0, update 0 and delete ${removed.length} records`,
    { timeout: 30_000 },
  );
  await expect(preview.getByRole("status")).toContainText("the sync would pause and ask before deleting");
  await expectNoSeriousAxeViolations(page, "sync preview");
  expect(await liveMembers()).toBe(held);

  // A day later the scheduled full pass comes (Sync now is then a full pass too).
  await withDatabase((client) =>
    client.query(
      `UPDATE "InstallationLocation" SET "lastFullSyncAt" = now() - interval '2 days' WHERE "installationId" = $1`,
      [installation.id],
    ),
  );
  await card.getByRole("button", { name: /^Sync now/ }).click();
  await expect.poll(lastRunStatus, { timeout: 60_000 }).toBe("needs_review");
  await page.reload();
  const review = page.getByTestId("deletion-review");
  await expect(review.getByRole("heading", { name: /Sync paused before deleting/ })).toBeVisible();
  await expect(review).toContainText(`would remove ${removed.length} records`);
  await expect(review.getByRole("listitem")).toHaveCount(Math.min(10, removed.length));
  expect(await liveMembers()).toBe(held);
  await expectNoSeriousAxeViolations(page, "deletion review");
  await review.scrollIntoViewIfNeeded();
  await page.screenshot({
    path: path.join(PROJECT_DIR, "docs", "screenshots", "deletion-review.png"),
    animations: "disabled",
  });

  await review.getByRole("button", { name: new RegExp(`^Apply deletions \\(${removed.length}\\)`) }).click();
  await expect(page.getByTestId("deletion-review")).toHaveCount(0);
  expect(await liveMembers()).toBe(held - removed.length);
  const audit = await withDatabase((client) =>
    client.query<{ action: string }>(
      `SELECT "action" FROM "AuditEvent" WHERE "installationId" = $1 AND "action" = 'sync.deletions_applied'`,
      [installation.id],
    ),
  );
  expect(audit.rows).toHaveLength(1);
});
