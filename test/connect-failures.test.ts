// Every way the Connect popup can fail ends on a page in the popup that says what happened and offers
// "Return to OfficeRnD", is logged with its reason (never the code, a token or a secret), and leaves
// nothing half-written behind: no installation, no location or subscription rows, no remote webhook.
import { renderToStaticMarkup } from "react-dom/server";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import ConnectPage from "@/app/connect/[id]/page";
import ConnectFailedPage from "@/app/connect/failed/page";
import { db } from "@/lib/db";
import { resetEnvForTests } from "@/lib/env";
import { FAILURES, type FailureReason } from "@/lib/connect/failures";
import { log } from "@/lib/log";
import { createUserWithAccount } from "./support/factories";
import type { EmulatorProcess } from "./support/emulator";
import {
  addIntegration,
  APP_URL,
  connectUrlFor,
  installationRows,
  openPopup,
  remoteWebhooks,
  requestContext,
  startConnectEmulator,
  submit,
  type Integration,
  type Popup,
} from "./connect-helpers";

vi.mock("next/headers", async () => (await import("./connect-request-context")).mockedNextHeaders());
vi.mock("@/lib/auth/session", async () => (await import("./connect-request-context")).mockedSession());

let emulator: EmulatorProcess;
let owner: Awaited<ReturnType<typeof createUserWithAccount>>;
let integration: Integration;
/** Everything logged in this file, to prove that no code, token or secret is ever written out. */
const logged: unknown[] = [];
const credentialsSeen = new Set<string>();

beforeAll(async () => {
  emulator = await startConnectEmulator();
  for (const level of ["info", "warn", "error"] as const) {
    vi.spyOn(log, level).mockImplementation(((...args: unknown[]) => void logged.push(args)) as never);
  }
});
afterAll(async () => {
  await emulator?.stop();
  // The last word: across every scenario above, no credential reached the log.
  const text = JSON.stringify(logged);
  for (const credential of credentialsSeen) expect(text).not.toContain(credential);
});
beforeEach(async () => {
  owner = await createUserWithAccount();
  requestContext.user = { id: owner.user.id, email: owner.user.email, name: owner.user.name };
  integration = await addIntegration(emulator, "acme-coworking");
  credentialsSeen.add(integration.secret);
});
afterEach(async () => {
  await emulator.control("/_emulator/faults", undefined, "DELETE");
  delete process.env.OFFICERND_HTTP_TIMEOUT_MS;
  resetEnvForTests();
});

async function popupFor(target = integration): Promise<Popup> {
  const url = await connectUrlFor(emulator, target._id);
  credentialsSeen.add(new URL(url).searchParams.get("code")!);
  return openPopup(url);
}

async function page(popup: Pick<Popup, "pendingId">, state: string | null): Promise<string> {
  requestContext.cookies.clear();
  if (state !== null) requestContext.cookies.set("ornd_connect_state", state);
  return renderToStaticMarkup(await ConnectPage({ params: Promise.resolve({ id: popup.pendingId }) }));
}

const returnUrl = () => `${emulator.url}/connect/external-integration/return`;
const escape = (text: string) =>
  text.replaceAll("&", "&amp;").replaceAll("'", "&#x27;").replaceAll('"', "&quot;");

/** The page in the popup names the failure in plain words and links back to OfficeRnD. */
function expectFailurePage(html: string, reason: FailureReason) {
  expect(html).toContain(escape(FAILURES[reason].title));
  expect(html).toContain(escape(FAILURES[reason].text));
  expect(html).toContain(`href="${returnUrl()}"`);
  expect(html).toContain("Return to OfficeRnD");
}

function expectLoggedReason(reason: FailureReason) {
  expect(logged).toContainEqual([expect.objectContaining({ reason }), "connect failed"]);
}

async function expectNothingWritten() {
  expect(await installationRows()).toEqual({ installations: 0, locations: 0, webhooks: 0 });
  expect(await remoteWebhooks(emulator, "acme-coworking")).toEqual([]);
}

async function expectPendingFailed(popup: Popup, reason: FailureReason) {
  expect(await db.pendingConnection.findUniqueOrThrow({ where: { id: popup.pendingId } })).toMatchObject({
    error: reason,
    credentialsEnc: null,
  });
  expectFailurePage(await page(popup, popup.state), reason);
  expectLoggedReason(reason);
}

/** A code exchange that failed: the failure page at once, and nothing stored (no pending row to grow on). */
async function expectRefused(popup: Pick<Popup, "location" | "setCookie">, reason: FailureReason) {
  const location = new URL(popup.location);
  expect(`${location.origin}${location.pathname}`).toBe(`${APP_URL}/connect/failed`);
  expect(location.searchParams.get("reason")).toBe(reason);
  expect(popup.setCookie).toBe("");
  expect(await db.pendingConnection.count({ where: { integrationId: integration._id } })).toBe(0);
  const html = renderToStaticMarkup(
    await ConnectFailedPage({ searchParams: Promise.resolve(Object.fromEntries(location.searchParams)) }),
  );
  expectFailurePage(html, reason);
  expectLoggedReason(reason);
}

async function fault(body: Record<string, unknown>) {
  await emulator.control("/_emulator/faults", body);
}

describe("OfficeRnD's parameters", () => {
  it.each([
    ["without a code", (url: URL) => url.searchParams.delete("code")],
    ["without integrationId", (url: URL) => url.searchParams.delete("integrationId")],
    ["with a malformed org_slug", (url: URL) => url.searchParams.set("org_slug", "../../etc")],
    ["with a malformed location id", (url: URL) => url.searchParams.set("locations", "ok,<script>")],
    ["with a repeated parameter", (url: URL) => url.searchParams.append("code", "second")],
  ])("%s are refused before anything is stored or exchanged", async (_name, spoil) => {
    const url = new URL(await connectUrlFor(emulator, integration._id));
    spoil(url);
    const popup = await openPopup(url.toString());
    expect(popup.location).toBe(`${APP_URL}/connect/failed?reason=invalid_request`);
    expect(popup.setCookie).toBe("");
    expect(await db.pendingConnection.count({ where: { integrationId: integration._id } })).toBe(0);
    expectLoggedReason("invalid_request");
    const html = renderToStaticMarkup(
      await ConnectFailedPage({ searchParams: Promise.resolve({ reason: "invalid_request" }) }),
    );
    expectFailurePage(html, "invalid_request");
  });
});

describe("the code exchange", () => {
  it("a HEAD request (link preview, prefetch) does not spend the code", async () => {
    const { HEAD } = await import("@/app/connect/route");
    const url = await connectUrlFor(emulator, integration._id);
    expect(HEAD().status).toBe(405);
    expect((await openPopup(url)).location).toMatch(/\/connect\/[0-9a-f-]{36}$/);
    expect(
      await db.pendingConnection.findFirstOrThrow({ where: { integrationId: integration._id } }),
    ).toMatchObject({ status: "ready" });
  });

  it("an unknown code (invalid_grant) ends on 'did not accept'", async () => {
    const url = new URL(await connectUrlFor(emulator, integration._id));
    url.searchParams.set("code", "not-a-code-officernd-issued");
    const popup = await openPopup(url.toString());
    await expectRefused(popup, "code_rejected");
  });

  it("a code used once already is refused the second time", async () => {
    const url = await connectUrlFor(emulator, integration._id);
    await openPopup(url);
    const again = await openPopup(url);
    expect(await db.pendingConnection.count({ where: { integrationId: integration._id } })).toBe(1);
    await db.pendingConnection.deleteMany({ where: { integrationId: integration._id } });
    await expectRefused(again, "code_rejected");
  });

  it("an expired code (OfficeRnD's codes live a minute) is refused", async () => {
    const url = await connectUrlFor(emulator, integration._id);
    await emulator.control("/_emulator/clock", { seconds: 120 });
    try {
      await expectRefused(await openPopup(url), "code_rejected");
    } finally {
      await emulator.control("/_emulator/clock", { seconds: -120 });
    }
  });

  it("a failing identity server (5xx) ends on 'not answering'", async () => {
    await fault({ path: "/oauth/token", status: 502, times: 1 });
    await expectRefused(await popupFor(), "officernd_unavailable");
  });

  it("a refused client (invalid_client) ends on 'refused to sign us in'", async () => {
    await fault({ path: "/oauth/token", status: 401, body: { error: "invalid_client" }, times: 1 });
    await expectRefused(await popupFor(), "identity_error");
  });

  it("an identity server slower than OFFICERND_HTTP_TIMEOUT_MS ends on 'took too long'", async () => {
    process.env.OFFICERND_HTTP_TIMEOUT_MS = "300";
    resetEnvForTests();
    await fault({ path: "/oauth/token", latencyMs: 1500, times: 1 });
    await expectRefused(await popupFor(), "timeout");
  });

  it("a dropped connection ends on 'not answering'", async () => {
    await fault({ path: "/oauth/token", drop: true, times: 1 });
    await expectRefused(await popupFor(), "officernd_unavailable");
  });
});

describe("the organisation, the secret and the locations", () => {
  it("an organisation lookup that fails ends on 'returned an error'", async () => {
    await fault({ path: "/api/v1/organizations/acme-coworking", status: 403, times: 1 });
    await expectPendingFailed(await popupFor(), "api_error");
  });

  it("an integration OfficeRnD does not return (404) ends on 'could not be verified'", async () => {
    await fault({ path: "/api/*/organizations/*/integrations/*", status: 404, times: 1 });
    await expectPendingFailed(await popupFor(), "secret_not_found");
  });

  it("an integration without settings.secret ends on 'could not be verified'", async () => {
    await fault({
      path: "/api/*/organizations/*/integrations/*",
      status: 200,
      body: { _id: integration._id, settings: { isExternal: true } },
      times: 1,
    });
    await expectPendingFailed(await popupFor(), "secret_not_found");
  });

  it("a secret lookup slower than the timeout ends on 'took too long'", async () => {
    process.env.OFFICERND_HTTP_TIMEOUT_MS = "300";
    resetEnvForTests();
    // Connect retries a call once (the admin is waiting): both attempts are slow.
    await fault({ path: "/api/*/organizations/*/integrations/*", latencyMs: 1500, times: 2 });
    await expectPendingFailed(await popupFor(), "timeout");
  });

  it("an all-locations integration whose location list keeps failing (5xx, retried once) cannot be confirmed", async () => {
    await fault({ path: "/api/v2/organizations/*/locations", status: 500, times: 2 });
    await expectPendingFailed(await popupFor(), "officernd_unavailable");
  });

  it("a failed Connect abandons the location list read beside it: no retry of it reaches OfficeRnD afterwards", async () => {
    await fault({ path: "/api/*/organizations/*/integrations/*", status: 404, times: 1 });
    // The list answers 500 only after the integration's 404 has ended the flow; a live call would retry it.
    await fault({ path: "/api/v2/organizations/*/locations", status: 500, latencyMs: 400, times: 5 });
    await expectPendingFailed(await popupFor(), "secret_not_found");
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const [locationsFault] = await emulator.control<{ path: string; hits: number }[]>("/_emulator/faults");
    expect(locationsFault).toMatchObject({ path: "/api/v2/organizations/*/locations", hits: 1 });
  });

  it("falls back to API v1 for location names when v2 does not have the route", async () => {
    const message = "Cannot GET /api/v2/organizations/acme-coworking/locations";
    await fault({
      path: "/api/v2/organizations/*/locations",
      status: 404,
      body: { statusCode: 404, message, error: "Not Found" },
      times: 1,
    });
    const popup = await popupFor();
    const pending = await db.pendingConnection.findUniqueOrThrow({ where: { id: popup.pendingId } });
    expect(pending.status).toBe("ready");
    expect(pending.locationNames).toHaveLength(4);
  });
});

describe("the admin's choices and the popup's binding", () => {
  it("Cancel ends on 'cancelled', returns to OfficeRnD at once, writes nothing and uses up the request", async () => {
    const popup = await popupFor();
    const response = await submit(popup, { intent: "cancel" });
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe(returnUrl());
    await expectPendingFailed(popup, "cancelled");
    expect((await submit(popup, { intent: "connect", accountId: owner.account.id })).status).toBe(303);
    await expectNothingWritten();
  });

  it("a pending connection older than 10 minutes ends on 'expired'", async () => {
    const popup = await popupFor();
    await db.pendingConnection.update({
      where: { id: popup.pendingId },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    expectFailurePage(await page(popup, popup.state), "expired");
    expect((await submit(popup, { intent: "connect", accountId: owner.account.id })).status).toBe(303);
    await expectNothingWritten();
    expectLoggedReason("expired");
  });

  it("another browser (wrong or missing state cookie) gets 'another window' and cannot use or burn the request", async () => {
    const popup = await popupFor();
    for (const state of ["x".repeat(43), null]) {
      const html = await page(popup, state);
      expectFailurePage(html, "state_mismatch");
      // Nothing about the organisation is shown to a browser that does not hold the cookie.
      expect(html).not.toContain("Acme");
      expect(
        (await submit(popup, { intent: "connect", accountId: owner.account.id }, { state })).status,
      ).toBe(303);
      expect((await submit(popup, { intent: "cancel" }, { state })).status).toBe(303);
    }
    await expectNothingWritten();
    expectLoggedReason("state_mismatch");
    // The right browser still can.
    expect((await submit(popup, { intent: "connect", accountId: owner.account.id })).status).toBe(302);
  });

  it("a pending connection is used once, even by two submits racing", async () => {
    const popup = await popupFor();
    const responses = await Promise.all(
      [1, 2, 3].map(() => submit(popup, { intent: "connect", accountId: owner.account.id })),
    );
    expect(responses.map((response) => response.status).sort()).toEqual([302, 303, 303]);
    expect(await installationRows()).toMatchObject({ installations: 1, webhooks: 1 });
    expect(await remoteWebhooks(emulator, "acme-coworking")).toHaveLength(1);
    expectLoggedReason("already_used");
    expect(await page(popup, popup.state)).toContain("is connected");
  });

  it("an account the user is not an owner or admin of ends on 'cannot connect this account'", async () => {
    const stranger = await createUserWithAccount();
    const popup = await popupFor();
    await submit(popup, { intent: "connect", accountId: stranger.account.id });
    await expectNothingWritten();
    await expectPendingFailed(popup, "account_not_allowed");
  });

  it("a cross-site form post is refused and leaves the request usable", async () => {
    const popup = await popupFor();
    const response = await submit(
      popup,
      { intent: "connect", accountId: owner.account.id },
      { origin: "https://evil.example" },
    );
    expect(response.status).toBe(403);
    expect(await db.pendingConnection.findUniqueOrThrow({ where: { id: popup.pendingId } })).toMatchObject({
      status: "ready",
    });
  });

  it("a signed-out browser is sent back to the page (which offers sign-in) without using the request", async () => {
    const popup = await popupFor();
    requestContext.user = null;
    expect((await submit(popup, { intent: "connect", accountId: owner.account.id })).status).toBe(303);
    expect(await db.pendingConnection.findUniqueOrThrow({ where: { id: popup.pendingId } })).toMatchObject({
      status: "ready",
    });
  });
});

describe("nothing half-written", () => {
  it("a webhook subscription OfficeRnD refuses (5xx) leaves no installation and a failure page", async () => {
    const popup = await popupFor();
    // A 503 is retried once (OfficeRnD refused before acting): it keeps refusing.
    await fault({ path: "/api/*/organizations/*/webhooks", method: "POST", status: 503, times: 2 });
    expect((await submit(popup, { intent: "connect", accountId: owner.account.id })).status).toBe(303);
    await expectNothingWritten();
    await expectPendingFailed(popup, "officernd_unavailable");
  });

  it("OfficeRnD refusing the location.* events (400) still connects, with the other events", async () => {
    const popup = await popupFor();
    await fault({
      path: "/api/*/organizations/*/webhooks",
      method: "POST",
      status: 400,
      body: { message: ["eventTypes.7 must be a valid event type"] },
      times: 1,
    });
    expect((await submit(popup, { intent: "connect", accountId: owner.account.id })).status).toBe(302);
    const [webhook] = await remoteWebhooks(emulator, "acme-coworking");
    expect(webhook!.eventTypes).toContain("integration.removed");
    expect(webhook!.eventTypes).not.toContain("location.updated");
  });

  it("a database failure while writing the installation rolls the rows back and removes the new remote subscription", async () => {
    const popup = await popupFor();
    await db.$executeRawUnsafe(
      `CREATE OR REPLACE FUNCTION connect_test_fail() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'audit store unavailable'; END $$ LANGUAGE plpgsql`,
    );
    await db.$executeRawUnsafe(
      `CREATE TRIGGER connect_test_fail BEFORE INSERT ON "AuditEvent" FOR EACH ROW EXECUTE FUNCTION connect_test_fail()`,
    );
    try {
      expect((await submit(popup, { intent: "connect", accountId: owner.account.id })).status).toBe(303);
    } finally {
      await db.$executeRawUnsafe(`DROP TRIGGER connect_test_fail ON "AuditEvent"`);
    }
    await expectNothingWritten();
    await expectPendingFailed(popup, "internal");
  });

  it("a failed reconnect keeps the previous connection exactly as it was", async () => {
    const first = await popupFor();
    await submit(first, { intent: "connect", accountId: owner.account.id });
    const before = await db.installation.findFirstOrThrow({ include: { webhooks: true, locations: true } });
    const remoteBefore = await remoteWebhooks(emulator, "acme-coworking");

    const second = await popupFor();
    await fault({ path: "/api/*/organizations/*/webhooks", method: "POST", status: 500, times: 1 });
    await submit(second, { intent: "connect", accountId: owner.account.id });
    expect(await db.installation.findFirstOrThrow({ include: { webhooks: true, locations: true } })).toEqual(
      before,
    );
    expect(await remoteWebhooks(emulator, "acme-coworking")).toEqual(remoteBefore);
  });
});

afterEach(async () => {
  // Each test starts from an organisation without connections.
  for (const webhook of await remoteWebhooks(emulator, "acme-coworking")) {
    await fetch(`${emulator.url}/api/v2/organizations/acme-coworking/webhooks/${webhook._id}`, {
      method: "DELETE",
      headers: { authorization: `Bearer ${await adminToken()}` },
    });
  }
  await db.installation.deleteMany();
});

async function adminToken(): Promise<string> {
  const { access_token } = await emulator.control<{ access_token: string }>("/_emulator/tokens", {
    org: "acme-coworking",
    scope: "officernd.api.read officernd.api.write",
  });
  return access_token;
}
