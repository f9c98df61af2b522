// The Connect popup end to end through the route handlers, against the real emulator: code exchange,
// organisation, secret, locations, the confirmation, the installation with its locations and webhook
// subscription, the return to OfficeRnD; reconnects, two instances in one organisation, one account per org.
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it, vi } from "vitest";
import { GET as healthcheck } from "@/app/api/officernd/healthcheck/route";
import ConnectPage from "@/app/connect/[id]/page";
import { decryptSecret } from "@/lib/crypto/secrets";
import { db } from "@/lib/db";
import { createUserWithAccount } from "./support/factories";
import { resetEnvForTests } from "@/lib/env";
import { hashState } from "@/lib/connect/state";
import { buildSignedQuery } from "@/lib/officernd/signature";
import {
  addIntegration,
  APP_URL,
  connectUrlFor,
  openPopup,
  organization,
  remoteWebhooks,
  requestContext,
  withConnectEmulator,
  submit,
  type Integration,
} from "./connect-helpers";

vi.mock("next/headers", async () => (await import("./connect-request-context")).mockedNextHeaders());
vi.mock("@/lib/auth/session", async () => (await import("./connect-request-context")).mockedSession());

const setup = withConnectEmulator("J&J Ltd");

async function connect(integration: Integration, accountId = setup.owner.account.id) {
  const popup = await openPopup(await connectUrlFor(setup.emulator, integration._id));
  const response = await submit(popup, { intent: "connect", accountId });
  const installation = await db.installation.findUnique({
    where: { orgSlug_integrationId: { orgSlug: integration.org, integrationId: integration._id } },
    include: { locations: { orderBy: { locationId: "asc" } }, webhooks: true },
  });
  return { popup, response, installation };
}

async function renderPage(pendingId: string, state: string): Promise<string> {
  requestContext.cookies.clear();
  requestContext.cookies.set("ornd_connect_state", state);
  return renderToStaticMarkup(await ConnectPage({ params: Promise.resolve({ id: pendingId }) }));
}

describe("GET /connect", () => {
  it("exchanges the code at once and 303s to the popup page with an HttpOnly, SameSite=Lax state cookie scoped to it", async () => {
    const integration = await addIntegration(setup.emulator, "acme-coworking", [
      setup.acme.locations[0]!._id,
    ]);
    const popup = await openPopup(await connectUrlFor(setup.emulator, integration._id));
    expect(popup.location).toBe(`${APP_URL}/connect/${popup.pendingId}`);
    expect(popup.setCookie).toMatch(
      new RegExp(
        `^ornd_connect_state=[A-Za-z0-9_-]{43}; Path=/connect/${popup.pendingId}; Max-Age=86400; HttpOnly; SameSite=Lax$`,
      ),
    );
    const pending = await db.pendingConnection.findUniqueOrThrow({ where: { id: popup.pendingId } });
    expect(pending).toMatchObject({
      status: "ready",
      orgSlug: "acme-coworking",
      orgName: "Acme Coworking",
      regionUrl: setup.emulator.url,
      stateHash: hashState(popup.state),
    });
    expect(Math.abs(pending.expiresAt.getTime() - pending.createdAt.getTime() - 10 * 60_000)).toBeLessThan(
      1000,
    );
    expect(pending.locationNames).toEqual([
      { id: setup.acme.locations[0]!._id, name: setup.acme.locations[0]!.name },
    ]);
    // Tokens and secret wait encrypted, bound to this row.
    const credentials = JSON.parse(
      decryptSecret(pending.credentialsEnc!, `pending:${pending.id}:credentials`),
    ) as Record<string, unknown>;
    expect(credentials).toMatchObject({
      secret: integration.secret,
      accessToken: expect.any(String),
      refreshToken: expect.any(String),
    });
    expect(pending.credentialsEnc).not.toContain(integration.secret);
    // OfficeRnD sees the code exchanged and the secret fetched.
    expect(await setup.emulator.control(`/_emulator/integrations/${integration._id}`)).toMatchObject({
      connected: true,
    });
  });

  it("shows the confirmation with the organisation, the location names and the account", async () => {
    const locations = setup.acme.locations.slice(0, 2);
    const integration = await addIntegration(
      setup.emulator,
      "acme-coworking",
      locations.map((location) => location._id),
    );
    const popup = await openPopup(await connectUrlFor(setup.emulator, integration._id));
    const html = await renderPage(popup.pendingId, popup.state);
    expect(html).toContain("Connect Acme Coworking");
    for (const location of locations) expect(html).toContain(location.name.replace("&", "&amp;"));
    expect(html).toContain(`to account <strong>${setup.owner.account.name.replace("&", "&amp;")}</strong>`);
    expect(html).toContain(`action="/connect/${popup.pendingId}/complete"`);
  });

  it("asks a signed-out admin to sign in (or sign up) inside the popup, coming back to the same page", async () => {
    requestContext.user = null;
    const integration = await addIntegration(setup.emulator, "acme-coworking");
    const popup = await openPopup(await connectUrlFor(setup.emulator, integration._id));
    const html = await renderPage(popup.pendingId, popup.state);
    expect(html).toContain(
      "Sign in to your partner account to connect OfficeRnD organisation <strong>Acme Coworking</strong> (all locations)",
    );
    // Sign-up stays on the popup's own page, which keeps the Connect context (issue 17, item 11).
    expect(html).toContain(`href="/connect/${popup.pendingId}?step=signup"`);
  });

  it("offers a picker to a user in several accounts, defaulting to the first they may connect", async () => {
    const second = await db.account.create({
      data: { name: "Aardvark Second", members: { create: { userId: setup.owner.user.id, role: "admin" } } },
    });
    const readOnly = await db.account.create({
      data: { name: "Aaa Member Only", members: { create: { userId: setup.owner.user.id, role: "member" } } },
    });
    const integration = await addIntegration(setup.emulator, "acme-coworking");
    const popup = await openPopup(await connectUrlFor(setup.emulator, integration._id));
    const html = await renderPage(popup.pendingId, popup.state);
    expect(html).toContain("Connect to which account?");
    expect(html).toMatch(new RegExp(`checked="" value="${second.id}"`));
    expect(html).toContain(`value="${setup.owner.account.id}"`);
    // A plain member may not connect, so that account is not offered.
    expect(html).not.toContain(readOnly.id);
  });
});

describe("confirming", () => {
  it("creates the installation with its secret, tokens, locations and webhook subscription, then 302s to OfficeRnD's return URL", async () => {
    const chosen = setup.acme.locations.slice(1, 3);
    const integration = await addIntegration(
      setup.emulator,
      "acme-coworking",
      chosen.map((location) => location._id),
    );
    const { response, installation, popup } = await connect(integration);
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe(
      `${setup.emulator.url}/connect/external-integration/return`,
    );
    expect(response.headers.get("set-cookie")).toMatch(/^ornd_connect_state=; Path=\/connect\/.*; Max-Age=0/);
    expect(installation).toMatchObject({
      accountId: setup.owner.account.id,
      orgSlug: "acme-coworking",
      orgId: setup.acme._id,
      orgName: "Acme Coworking",
      regionUrl: setup.emulator.url,
      status: "active",
      generation: 1,
      locationsKey: chosen
        .map((location) => location._id)
        .sort()
        .join(","),
    });
    const id = installation!.id;
    expect(decryptSecret(installation!.secretEnc, `installation:${id}:secret`)).toBe(integration.secret);
    expect(decryptSecret(installation!.accessTokenEnc!, `installation:${id}:access`)).toMatch(/\S{20,}/);
    expect(decryptSecret(installation!.refreshTokenEnc!, `installation:${id}:refresh`)).toMatch(/\S{20,}/);
    expect(installation!.tokenExpiresAt!.getTime()).toBeGreaterThan(Date.now() + 3000_000);
    expect(
      installation!.locations.map((location) => ({ id: location.locationId, name: location.name })),
    ).toEqual(
      chosen
        .map((location) => ({ id: location._id, name: location.name }))
        .sort((a, b) => a.id.localeCompare(b.id)),
    );

    // One subscription, remote and local, for integration.removed and the entity events, secret encrypted.
    const remote = (await remoteWebhooks(setup.emulator, "acme-coworking")).filter((webhook) =>
      webhook.url.endsWith(id),
    );
    expect(remote).toHaveLength(1);
    expect(remote[0]).toMatchObject({ url: `${APP_URL}/api/webhooks/officernd/${id}` });
    expect(remote[0]!.eventTypes).toEqual(
      expect.arrayContaining([
        "integration.removed",
        "member.created",
        "member.updated",
        "member.removed",
        "company.removed",
      ]),
    );
    expect(installation!.webhooks).toEqual([
      expect.objectContaining({ remoteId: remote[0]!._id, url: remote[0]!.url }),
    ]);
    const subscription = installation!.webhooks[0]!;
    expect(decryptSecret(subscription.secretEnc, `webhook:${subscription.id}:secret`)).toBe(
      remote[0]!.secret,
    );

    // Audited, and the pending connection is spent with its credentials wiped.
    expect(await db.auditEvent.findMany({ where: { installationId: id } })).toEqual([
      expect.objectContaining({
        action: "installation.connected",
        actor: `user:${setup.owner.user.id}`,
        accountId: setup.owner.account.id,
      }),
    ]);
    expect(await db.pendingConnection.findUniqueOrThrow({ where: { id: popup.pendingId } })).toMatchObject({
      status: "completed",
      credentialsEnc: null,
    });
  });

  it("connects every location of the organisation when OfficeRnD sends locations=''", async () => {
    const integration = await addIntegration(setup.emulator, "acme-coworking");
    const { installation } = await connect(integration);
    expect(installation!.locationsKey).toBe("");
    expect(installation!.locations.map((location) => location.locationId).sort()).toEqual(
      setup.acme.locations.map((location) => location._id).sort(),
    );
  });

  it("after connecting, OfficeRnD's signed healthcheck answers the account's name", async () => {
    const integration = await addIntegration(setup.emulator, "acme-coworking", [
      setup.acme.locations[0]!._id,
    ]);
    await connect(integration);
    const query = buildSignedQuery(
      [
        ["slug", "acme-coworking"],
        ["locations", setup.acme.locations[0]!._id],
        ["organizationId", setup.acme._id],
      ],
      integration.secret,
      Math.floor(Date.now() / 1000),
    );
    const response = await healthcheck(new Request(`${APP_URL}/api/officernd/healthcheck?${query}`));
    expect(await response.json()).toEqual({ accountName: setup.owner.account.name });
  });
});

describe("reconnecting the same integration", () => {
  it("updates the installation in place: same id, generation + 1, active again, new tokens, one subscription", async () => {
    const integration = await addIntegration(setup.emulator, "acme-coworking", [
      setup.acme.locations[0]!._id,
      setup.acme.locations[1]!._id,
    ]);
    const first = (await connect(integration)).installation!;
    await db.installation.update({ where: { id: first.id }, data: { status: "reconnect_required" } });
    await db.installationLocation.updateMany({
      where: { installationId: first.id, locationId: setup.acme.locations[0]!._id },
      data: { settings: { syncMembers: false } },
    });

    const { response, installation: second } = await connect(integration);
    expect(response.status).toBe(302);
    expect(
      await db.installation.count({ where: { orgSlug: "acme-coworking", integrationId: integration._id } }),
    ).toBe(1);
    expect(second).toMatchObject({ id: first.id, generation: 2, status: "active" });
    expect(second!.accessTokenEnc).not.toBe(first.accessTokenEnc);
    // Settings of a location that stays connected survive the reconnect.
    expect(
      second!.locations.find((location) => location.locationId === setup.acme.locations[0]!._id)?.settings,
    ).toEqual({ syncMembers: false });

    // The old remote subscription is deleted and replaced, not added to.
    const remote = (await remoteWebhooks(setup.emulator, "acme-coworking")).filter((webhook) =>
      webhook.url.endsWith(first.id),
    );
    expect(remote.map((webhook) => webhook._id)).toEqual([second!.webhooks[0]!.remoteId]);
    expect(second!.webhooks).toHaveLength(1);
    expect(second!.webhooks[0]!.remoteId).not.toBe(first.webhooks[0]!.remoteId);
    expect(
      (
        await db.auditEvent.findMany({ where: { installationId: first.id }, orderBy: { createdAt: "asc" } })
      ).map((event) => event.action),
    ).toEqual(["installation.connected", "installation.reconnected"]);
  });

  it("also removes a stray remote subscription to the installation's URL (e.g. left by a crashed attempt)", async () => {
    const integration = await addIntegration(setup.emulator, "acme-coworking", [
      setup.acme.locations[3]!._id,
    ]);
    const first = (await connect(integration)).installation!;
    const { access_token } = await setup.emulator.control<{ access_token: string }>("/_emulator/tokens", {
      org: "acme-coworking",
      scope: "officernd.api.write",
    });
    const stray = await fetch(`${setup.emulator.url}/api/v2/organizations/acme-coworking/webhooks`, {
      method: "POST",
      headers: { authorization: `Bearer ${access_token}`, "content-type": "application/json" },
      body: JSON.stringify({
        url: `${APP_URL}/api/webhooks/officernd/${first.id}`,
        eventTypes: ["member.updated"],
      }),
    });
    expect(stray.status).toBe(201);
    const { installation: second } = await connect(integration);
    const remote = (await remoteWebhooks(setup.emulator, "acme-coworking")).filter((webhook) =>
      webhook.url.endsWith(first.id),
    );
    expect(remote.map((webhook) => webhook._id)).toEqual([second!.webhooks[0]!.remoteId]);
  });

  it("follows a changed location set: rows for dropped locations go, new ones come", async () => {
    const integration = await addIntegration(setup.emulator, "globex-spaces");
    const globex = await organization(setup.emulator, "globex-spaces");
    const first = (await connect(integration)).installation!;
    expect(first.locations).toHaveLength(globex.locations.length);
    // OfficeRnD's admin narrowed the integration to one location (simulated on our side's pending row).
    const popup = await openPopup(await connectUrlFor(setup.emulator, integration._id));
    await db.pendingConnection.update({
      where: { id: popup.pendingId },
      data: {
        locationsKey: globex.locations[0]!._id,
        locationNames: [{ id: globex.locations[0]!._id, name: globex.locations[0]!.name }],
      },
    });
    await submit(popup, { intent: "connect", accountId: setup.owner.account.id });
    const after = await db.installation.findUniqueOrThrow({
      where: { id: first.id },
      include: { locations: true },
    });
    expect(after.locations.map((location) => location.locationId)).toEqual([globex.locations[0]!._id]);
    expect(after.locationsKey).toBe(globex.locations[0]!._id);
  });
});

describe("several instances in one organisation", () => {
  it("are separate installations with separate secrets, location sets and partner accounts", async () => {
    const other = await createUserWithAccount({ accountName: "Other Partner" });
    const north = await addIntegration(setup.emulator, "acme-coworking", [setup.acme.locations[0]!._id]);
    const south = await addIntegration(setup.emulator, "acme-coworking", [
      setup.acme.locations[2]!._id,
      setup.acme.locations[3]!._id,
    ]);
    const a = (await connect(north)).installation!;
    requestContext.user = { id: other.user.id, email: other.user.email, name: other.user.name };
    const b = (await connect(south, other.account.id)).installation!;
    expect(a.id).not.toBe(b.id);
    expect([a.accountId, b.accountId]).toEqual([setup.owner.account.id, other.account.id]);
    expect(decryptSecret(a.secretEnc, `installation:${a.id}:secret`)).toBe(north.secret);
    expect(decryptSecret(b.secretEnc, `installation:${b.id}:secret`)).toBe(south.secret);
    expect(north.secret).not.toBe(south.secret);
    expect(a.locations.map((location) => location.locationId)).toEqual([setup.acme.locations[0]!._id]);
    expect(b.locations).toHaveLength(2);
    expect(a.webhooks[0]!.remoteId).not.toBe(b.webhooks[0]!.remoteId);
  });

  it("with ALLOW_MULTIPLE_ACCOUNTS_PER_ORG=false, refuses a second account but lets the same account add instances", async () => {
    process.env.ALLOW_MULTIPLE_ACCOUNTS_PER_ORG = "false";
    resetEnvForTests();
    // Earlier tests connected globex-spaces to other accounts; start this organisation afresh.
    await db.installation.deleteMany({ where: { orgSlug: "globex-spaces" } });
    try {
      const first = await addIntegration(setup.emulator, "globex-spaces");
      expect((await connect(first)).response.status).toBe(302);
      const sameAccount = await addIntegration(setup.emulator, "globex-spaces");
      expect((await connect(sameAccount)).response.status).toBe(302);

      const other = await createUserWithAccount({ accountName: "Latecomer" });
      requestContext.user = { id: other.user.id, email: other.user.email, name: other.user.name };
      const third = await addIntegration(setup.emulator, "globex-spaces");
      const before = await remoteWebhooks(setup.emulator, "globex-spaces");
      const { response, installation, popup } = await connect(third, other.account.id);
      expect(response.status).toBe(303);
      expect(installation).toBeNull();
      expect(await remoteWebhooks(setup.emulator, "globex-spaces")).toHaveLength(before.length);
      expect(await renderPage(popup.pendingId, popup.state)).toContain(
        "This organisation is already connected",
      );
    } finally {
      delete process.env.ALLOW_MULTIPLE_ACCOUNTS_PER_ORG;
      resetEnvForTests();
    }
  });
});
