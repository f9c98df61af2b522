// Connect reads the integration before anything is connected (issue 11 §4): a Connect URL without a
// `locations` parameter takes the integration's own list, and an integration whose
// `settings.appClientId` names another application stops Connect with a page that says so. Against the
// real emulator over HTTP (its control API sets what the integration says), through the route handlers.
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it, vi } from "vitest";
import ConnectPage from "@/app/connect/[id]/page";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { FAILURES } from "@/lib/connect/failures";
import {
  addIntegration,
  connectUrlFor,
  installationRows,
  openPopup,
  remoteWebhooks,
  requestContext,
  withConnectEmulator,
  submit,
  type Integration,
  type Popup,
} from "./connect-helpers";

vi.mock("next/headers", async () => (await import("./connect-request-context")).mockedNextHeaders());
vi.mock("@/lib/auth/session", async () => (await import("./connect-request-context")).mockedSession());

const setup = withConnectEmulator("Check");

/** The Connect URL OfficeRnD opens, with `locations` as given: a value, or `undefined` to leave it out. */
async function popupWith(
  integration: Integration,
  locations: string | undefined | "as-sent",
): Promise<Popup> {
  const url = new URL(await connectUrlFor(setup.emulator, integration._id));
  if (locations === undefined) url.searchParams.delete("locations");
  else if (locations !== "as-sent") url.searchParams.set("locations", locations);
  return openPopup(url.toString());
}

async function page(popup: Popup): Promise<string> {
  requestContext.cookies.clear();
  requestContext.cookies.set("ornd_connect_state", popup.state);
  return renderToStaticMarkup(await ConnectPage({ params: Promise.resolve({ id: popup.pendingId }) }));
}

const escape = (text: string) =>
  text.replaceAll("&", "&amp;").replaceAll("'", "&#x27;").replaceAll('"', "&quot;");
const sortedIds = (ids: string[]) => [...ids].sort();

async function installationOf(integration: Integration) {
  return db.installation.findUnique({
    where: { orgSlug_integrationId: { orgSlug: integration.org, integrationId: integration._id } },
    include: { locations: { orderBy: { locationId: "asc" } } },
  });
}

async function setAppClientId(integration: Integration, settingsAppClientId: string | null) {
  await setup.emulator.control(
    `/_emulator/integrations/${integration._id}`,
    { settingsAppClientId },
    "PATCH",
  );
}

describe("the locations parameter", () => {
  it("absent: the integration's own chosen locations are connected, named on the confirmation page", async () => {
    const chosen = setup.acme.locations.slice(0, 2);
    const integration = await addIntegration(
      setup.emulator,
      "acme-coworking",
      chosen.map((location) => location._id),
    );
    const popup = await popupWith(integration, undefined);
    const pending = await db.pendingConnection.findUniqueOrThrow({ where: { id: popup.pendingId } });
    expect(pending).toMatchObject({
      status: "ready",
      locationsKey: sortedIds(chosen.map((location) => location._id)).join(","),
    });
    expect(
      sortedIds((pending.locationNames as Array<{ id: string }>).map((location) => location.id)),
    ).toEqual(sortedIds(chosen.map((location) => location._id)));
    const html = await page(popup);
    for (const location of chosen) expect(html).toContain(escape(location.name));

    expect((await submit(popup, { intent: "connect", accountId: setup.owner.account.id })).status).toBe(302);
    const installation = await installationOf(integration);
    expect(installation).toMatchObject({
      status: "active",
      locationsKey: sortedIds(chosen.map((location) => location._id)).join(","),
    });
    expect(installation!.locations.map((location) => location.locationId)).toEqual(
      sortedIds(chosen.map((location) => location._id)),
    );
  });

  it("absent, and the integration lists no locations: every location of the organisation", async () => {
    const integration = await addIntegration(setup.emulator, "acme-coworking", []);
    const popup = await popupWith(integration, undefined);
    const pending = await db.pendingConnection.findUniqueOrThrow({ where: { id: popup.pendingId } });
    expect(pending).toMatchObject({ status: "ready", locationsKey: "" });
    expect((pending.locationNames as unknown[]).length).toBe(setup.acme.locations.length);
    expect((await submit(popup, { intent: "connect", accountId: setup.owner.account.id })).status).toBe(302);
    const installation = await installationOf(integration);
    expect(installation).toMatchObject({ status: "active", locationsKey: "" });
    expect(installation!.locations.map((location) => location.locationId)).toEqual(
      sortedIds(setup.acme.locations.map((location) => location._id)),
    );
  });

  it('empty ("") means every location, as OfficeRnD documents it', async () => {
    const integration = await addIntegration(setup.emulator, "acme-coworking", []);
    const popup = await popupWith(integration, "");
    expect(await db.pendingConnection.findUniqueOrThrow({ where: { id: popup.pendingId } })).toMatchObject({
      status: "ready",
      locationsKey: "",
    });
    expect((await submit(popup, { intent: "connect", accountId: setup.owner.account.id })).status).toBe(302);
    expect(await installationOf(integration)).toMatchObject({ status: "active", locationsKey: "" });
  });

  it("given: the parameter wins (the integration is read for its secret and owner only)", async () => {
    const [first, second] = setup.acme.locations;
    const integration = await addIntegration(setup.emulator, "acme-coworking", [first!._id, second!._id]);
    const popup = await popupWith(integration, first!._id);
    expect(await db.pendingConnection.findUniqueOrThrow({ where: { id: popup.pendingId } })).toMatchObject({
      status: "ready",
      locationsKey: first!._id,
    });
  });
});

describe("settings.appClientId", () => {
  it("equal to our client id: Connect goes on", async () => {
    const integration = await addIntegration(setup.emulator, "acme-coworking", [
      setup.acme.locations[0]!._id,
    ]);
    await setAppClientId(integration, env().OFFICERND_CLIENT_ID);
    const popup = await popupWith(integration, "as-sent");
    expect(await db.pendingConnection.findUniqueOrThrow({ where: { id: popup.pendingId } })).toMatchObject({
      status: "ready",
      error: null,
    });
    expect((await submit(popup, { intent: "connect", accountId: setup.owner.account.id })).status).toBe(302);
    expect(await installationOf(integration)).toMatchObject({ status: "active" });
  });

  it("absent from the integration's settings: Connect goes on", async () => {
    const integration = await addIntegration(setup.emulator, "acme-coworking", [
      setup.acme.locations[0]!._id,
    ]);
    await setAppClientId(integration, null);
    const popup = await popupWith(integration, "as-sent");
    expect(await db.pendingConnection.findUniqueOrThrow({ where: { id: popup.pendingId } })).toMatchObject({
      status: "ready",
      error: null,
    });
    expect((await submit(popup, { intent: "connect", accountId: setup.owner.account.id })).status).toBe(302);
    expect(await installationOf(integration)).toMatchObject({ status: "active" });
  });

  it("another application's client id: Connect stops with a page that says so and the way back; nothing is stored", async () => {
    const before = await installationRows();
    const integration = await addIntegration(setup.emulator, "acme-coworking", [
      setup.acme.locations[0]!._id,
    ]);
    await setAppClientId(integration, "someone-elses-app");
    const popup = await popupWith(integration, "as-sent");
    const pending = await db.pendingConnection.findUniqueOrThrow({ where: { id: popup.pendingId } });
    expect(pending).toMatchObject({ status: "failed", error: "wrong_app", credentialsEnc: null });

    const html = await page(popup);
    expect(FAILURES.wrong_app.title).toMatch(/^This OfficeRnD integration belongs to another app/);
    expect(html).toContain(escape(FAILURES.wrong_app.title));
    expect(html).toContain(escape(FAILURES.wrong_app.text));
    expect(html).toContain(`href="${setup.emulator.url}/connect/external-integration/return"`);
    expect(html).toContain("Return to OfficeRnD");

    // Confirming anyway does not connect.
    await submit(popup, { intent: "connect", accountId: setup.owner.account.id });
    expect(await installationOf(integration)).toBeNull();
    expect(await installationRows()).toEqual(before);
    expect(
      (await remoteWebhooks(setup.emulator, "acme-coworking")).filter(
        (webhook) => webhook.integrationId === integration._id,
      ),
    ).toEqual([]);
  });
});
