// End to end with OfficeRnD's side played by the emulator: it signs Healthcheck, Sync and
// Configuration calls with an integration's secret and makes them against the running app.
import { expect, test } from "@playwright/test";
import { EMULATOR_URL } from "../support/ports";
import { insertInstallation, querySyncEnabled, type E2eInstallation } from "./signed-fixtures";

type Organization = { _id: string; slug: string; name: string; locations: { _id: string; name: string }[] };
type Integration = { _id: string; secret: string; organizationId: string; locations: string[] };
type SignedCall = { url: string; status: number | null; body: unknown };

async function control<T>(route: string, body?: unknown): Promise<T> {
  const response = await fetch(`${EMULATOR_URL}${route}`, {
    method: body === undefined ? "GET" : "POST",
    headers: { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${route} → ${response.status}: ${await response.text()}`);
  return (await response.json()) as T;
}

let integration: Integration;
let installation: E2eInstallation;

test.beforeAll(async () => {
  const state = await control<{ organizations: Organization[] }>("/_emulator/state");
  const organization = state.organizations.find((candidate) => candidate.locations.length >= 2)!;
  const locations = organization.locations.slice(0, 2);
  integration = await control<Integration>("/_emulator/integrations", {
    org: organization.slug,
    locations: locations.map((location) => location._id),
  });
  // What the Connect flow would have stored for this integration: same secret, org and locations.
  installation = await insertInstallation({
    accountName: "Emulated Partner Ltd",
    orgSlug: organization.slug,
    orgId: integration.organizationId,
    orgName: organization.name,
    integrationId: integration._id,
    secret: integration.secret,
    locations: locations.map((location) => ({ id: location._id, name: location.name })),
  });
});

const signedCall = (body: Record<string, unknown>) =>
  control<SignedCall>("/_emulator/signed-call", { integrationId: integration._id, ...body });

test("the emulator's Healthcheck call gets 200 { accountName }", async () => {
  expect(await signedCall({ target: "healthcheck" })).toMatchObject({
    status: 200,
    body: { accountName: "Emulated Partner Ltd" },
  });
});

test("the emulator's Sync calls (organizationId quoted) switch synchronisation on and off", async () => {
  const on = await signedCall({ target: "sync", enabled: true });
  expect(on).toMatchObject({ status: 200, body: { syncEnabled: true, accountName: "Emulated Partner Ltd" } });
  expect(new URL(on.url).searchParams.get("organizationId")).toBe(`"${integration.organizationId}"`);
  expect(await querySyncEnabled(installation.id)).toBe(true);
  expect(await signedCall({ target: "sync", enabled: false })).toMatchObject({
    status: 200,
    body: { syncEnabled: false },
  });
  expect(await querySyncEnabled(installation.id)).toBe(false);
});

test("the emulator's Configuration link opens the configuration page for that installation", async ({
  playwright,
  baseURL,
}) => {
  const { url } = await signedCall({ target: "configure" });
  const context = await playwright.request.newContext({ baseURL });
  const page = await context.get(url);
  expect(page.status()).toBe(200);
  expect(page.url()).toMatch(new RegExp(`/configure/${installation.id}$`));
  expect(await page.text()).toContain("Emulated Partner Ltd");
  await context.dispose();
});

test("a call the emulator signed 10 minutes ago is refused with 401", async () => {
  expect(await signedCall({ target: "healthcheck", timestampOffset: -600 })).toMatchObject({
    status: 401,
    body: { error: "invalid_signature" },
  });
});
