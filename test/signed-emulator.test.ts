// The emulator, as OfficeRnD, signs and makes the calls itself (POST /_emulator/signed-call) to our
// route handlers served over real HTTP: its signer and ours are independent implementations.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as healthcheckRoute from "@/app/api/officernd/healthcheck/route";
import * as syncRoute from "@/app/api/officernd/sync/route";
import * as configureRoute from "@/app/configure/route";
import { db } from "@/lib/db";
import { startEmulatorProcess, type EmulatorProcess } from "./support/emulator";
import { useOfficeRnd } from "./support/officernd-env";
import { createSignedFixture, type SignedFixture } from "./signed-helpers";

const HANDLERS: Record<string, (request: Request) => Promise<Response>> = {
  "/api/officernd/healthcheck": healthcheckRoute.GET,
  "/api/officernd/sync": syncRoute.GET,
  "/configure": configureRoute.GET,
};

let emulator: EmulatorProcess;
let app: Server;
let appUrl: string;

/** Serves the three route handlers the way Next would hand them a Request. */
function startApp(): Promise<Server> {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", appUrl);
    const handler = HANDLERS[url.pathname];
    if (!handler) return void res.writeHead(404).end();
    handler(new Request(url, { method: req.method }))
      .then(async (response) => {
        res.writeHead(response.status, Object.fromEntries(response.headers));
        res.end(Buffer.from(await response.arrayBuffer()));
      })
      .catch((error: unknown) => res.writeHead(599).end(String(error)));
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

type Organization = { _id: string; slug: string; locations: { _id: string; name: string }[] };
type EmulatorIntegration = { _id: string; secret: string; locations: string[]; organizationId: string };
type SignedCall = { url: string; status: number | null; body: unknown };

let organization: Organization;

beforeAll(async () => {
  app = await startApp();
  appUrl = `http://127.0.0.1:${(app.address() as AddressInfo).port}`;
  emulator = await startEmulatorProcess(["--partner-url", appUrl]);
  await useOfficeRnd(emulator.url);
  const state = await emulator.control<{ organizations: Organization[] }>("/_emulator/state");
  organization = state.organizations.find((candidate) => candidate.locations.length >= 2)!;
});
afterAll(async () => {
  await emulator?.stop();
  await new Promise((resolve) => app?.close(resolve));
});

/** An integration added in the emulator and the installation our Connect flow would have stored for it. */
async function connectedPair(
  locationIds: string[],
): Promise<{ integration: EmulatorIntegration; fixture: SignedFixture }> {
  const integration = await emulator.control<EmulatorIntegration>("/_emulator/integrations", {
    org: organization.slug,
    locations: locationIds,
  });
  // Real tokens at the emulator's region, so the app can re-read the integration when it must.
  const tokens = await emulator.control<{ access_token: string; refresh_token: string }>(
    "/_emulator/tokens",
    {
      org: organization.slug,
      scope: "officernd.api.read officernd.api.write",
      integrationId: integration._id,
    },
  );
  const fixture = await createSignedFixture({
    orgSlug: organization.slug,
    integrationId: integration._id,
    secret: integration.secret,
    regionUrl: emulator.url,
    accessToken: tokens.access_token,
    refreshToken: tokens.refresh_token,
    accountName: "J&J Ltd",
    locations: locationIds.map((id) => ({
      id,
      name: organization.locations.find((location) => location._id === id)!.name,
    })),
  });
  await db.installation.update({
    where: { id: fixture.installation.id },
    data: { orgId: integration.organizationId },
  });
  return { integration, fixture };
}

const signedCall = (body: Record<string, unknown>) =>
  emulator.control<SignedCall>("/_emulator/signed-call", body);

describe("calls signed by the emulator", () => {
  it("Healthcheck → 200 { accountName }", async () => {
    const { integration } = await connectedPair([
      organization.locations[0]!._id,
      organization.locations[1]!._id,
    ]);
    const result = await signedCall({ integrationId: integration._id, target: "healthcheck" });
    expect(result).toMatchObject({ status: 200, body: { accountName: "J&J Ltd" } });
  });

  it('Healthcheck of an all-locations integration (locations="") → 200', async () => {
    const { integration } = await connectedPair([]);
    expect(await signedCall({ integrationId: integration._id, target: "healthcheck" })).toMatchObject({
      status: 200,
      body: { accountName: expect.any(String) },
    });
  });

  it("Sync with enabled=true then false (organizationId arrives quoted) → the state follows", async () => {
    const { integration, fixture } = await connectedPair([organization.locations[0]!._id]);
    const on = await signedCall({ integrationId: integration._id, target: "sync", enabled: true });
    expect(new URL(on.url).searchParams.get("organizationId")).toBe(`"${integration.organizationId}"`);
    expect(on).toMatchObject({ status: 200, body: { syncEnabled: true, accountName: "J&J Ltd" } });
    expect(
      await db.syncRun.count({
        where: { installationId: fixture.installation.id, trigger: "officernd-sync-url" },
      }),
    ).toBeGreaterThan(0);
    expect(
      await signedCall({ integrationId: integration._id, target: "sync", enabled: false }),
    ).toMatchObject({ status: 200, body: { syncEnabled: false } });
    expect(
      (await db.installation.findUniqueOrThrow({ where: { id: fixture.installation.id } })).syncEnabled,
    ).toBe(false);
  });

  it("Configuration link → 303 to /configure/<id> with a session cookie; the same link again → 409", async () => {
    const { integration, fixture } = await connectedPair([organization.locations[1]!._id]);
    const { url } = await signedCall({ integrationId: integration._id, target: "configure" });
    expect(new URL(url).searchParams.get("memberId")).toBeTruthy();
    const first = await fetch(url, { redirect: "manual" });
    expect(first.status).toBe(303);
    expect(first.headers.get("location")).toBe(`/configure/${fixture.installation.id}`);
    expect(first.headers.get("set-cookie")).toMatch(/^configure-session=/);
    const again = await fetch(url, { redirect: "manual" });
    expect(again.status).toBe(409);
  });

  it("a call signed 10 minutes ago (emulator timestampOffset) → 401 invalid_signature", async () => {
    const { integration } = await connectedPair([organization.locations[0]!._id]);
    const result = await signedCall({
      integrationId: integration._id,
      target: "healthcheck",
      timestampOffset: -600,
    });
    expect(result).toMatchObject({ status: 401, body: { error: "invalid_signature" } });
  });

  it("when our stored locations are stale but OfficeRnD's integration agrees with the call, Healthcheck heals to 200 (issue 11 part 4)", async () => {
    const { fixture, integration } = await connectedPair([organization.locations[0]!._id]);
    await db.installation.update({
      where: { id: fixture.installation.id },
      data: { locationsKey: organization.locations[1]!._id },
    });
    expect(await signedCall({ integrationId: integration._id, target: "healthcheck" })).toMatchObject({
      status: 200,
      body: { accountName: expect.any(String) },
    });
    expect(
      (await db.installation.findUniqueOrThrow({ where: { id: fixture.installation.id } })).locationsKey,
    ).toBe(organization.locations[0]!._id);
  });
});
