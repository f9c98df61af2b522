// Issue 12 on the Connect popup: the complete route checks the id and the pending row before reading
// a body, and caps the form at 16 KiB (item 7); the confirmation names the organisation, its slug and
// locations, and its button names the organisation (item 9); a region OfficeRnD names must be
// OfficeRnD's, or Connect stops before any token is sent to it (item 5). Issue 17, item 12: Cancel
// returns to OfficeRnD at once, and the state cookie outlives the 10-minute request.
import { createServer } from "node:net";
import { renderToStaticMarkup } from "react-dom/server";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { POST as completePost } from "@/app/connect/[id]/complete/route";
import ConnectPage from "@/app/connect/[id]/page";
import { db } from "@/lib/db";
import { createUserWithAccount } from "./support/factories";
import { startEmulatorProcess, type EmulatorProcess } from "./support/emulator";
import { useOfficeRnd as pointAppAt } from "./support/officernd-env";
import {
  addIntegration,
  APP_URL,
  connectUrlFor,
  openPopup,
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

beforeAll(async () => {
  emulator = await startConnectEmulator();
});
afterAll(async () => {
  await emulator?.stop();
});
beforeEach(async () => {
  owner = await createUserWithAccount({ accountName: "J&J Ltd" });
  requestContext.user = { id: owner.user.id, email: owner.user.email, name: owner.user.name };
  requestContext.cookies.clear();
  integration = await addIntegration(emulator, "acme-coworking");
});

async function popupFor(target = integration): Promise<Popup> {
  return openPopup(await connectUrlFor(emulator, target._id));
}

/** A body that records whether anyone read it. */
function watchedBody(text: string): { body: ReadableStream<Uint8Array>; wasRead: () => boolean } {
  let isRead = false;
  const body = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        isRead = true;
        controller.enqueue(new TextEncoder().encode(text));
        controller.close();
      },
    },
    { highWaterMark: 0 },
  );
  return { body, wasRead: () => isRead };
}

function postComplete(id: string, body: BodyInit, headers: Record<string, string> = {}) {
  const request = new Request(`${APP_URL}/connect/${encodeURIComponent(id)}/complete`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", origin: APP_URL, ...headers },
    body,
    duplex: "half",
  } as RequestInit);
  return completePost(request, { params: Promise.resolve({ id }) });
}

describe("POST /connect/<id>/complete reads nothing before the id checks out (item 7)", () => {
  it.each([["not-a-uuid"], ["../../api/metrics"], [crypto.randomUUID()]])(
    "%s: 404 JSON, body never read",
    async (id) => {
      const watched = watchedBody("intent=cancel");
      const response = await postComplete(id, watched.body);
      expect(response.status).toBe(404);
      expect(await response.json()).toEqual({ error: "not_found", message: expect.any(String) });
      expect(watched.wasRead()).toBe(false);
    },
  );

  it("a form over 16 KiB is refused with 413 JSON, by its Content-Length or as it streams, and changes nothing", async () => {
    const popup = await popupFor();
    requestContext.cookies.set("ornd_connect_state", popup.state);
    const big = `intent=cancel&padding=${"x".repeat(16 * 1024)}`;
    const declared = await postComplete(popup.pendingId, big);
    expect(declared.status).toBe(413);
    expect(await declared.json()).toMatchObject({ error: "payload_too_large" });
    const streamed = await postComplete(popup.pendingId, watchedBody(big).body);
    expect(streamed.status).toBe(413);
    expect((await db.pendingConnection.findUniqueOrThrow({ where: { id: popup.pendingId } })).status).toBe(
      "ready",
    );
  });
});

describe("the confirmation names whose organisation it is (item 9)", () => {
  it("shows the organisation's name, slug and locations, and the button says Connect <organisation>", async () => {
    const popup = await popupFor();
    requestContext.cookies.set("ornd_connect_state", popup.state);
    const html = renderToStaticMarkup(
      await ConnectPage({ params: Promise.resolve({ id: popup.pendingId }) }),
    );
    expect(html).toContain("OfficeRnD organisation");
    expect(html).toMatch(/Slug <code[^>]*>acme-coworking<\/code>/);
    expect(html).toContain('aria-label="Locations to connect"');
    expect(html).toContain("Acme Shoreditch");
    expect(html).toMatch(/<button[^>]*value="connect"[^>]*>Connect Acme Coworking<\/button>/);
  });
});

describe("Cancel and the state cookie (issue 17, item 12)", () => {
  it("Cancel returns to OfficeRnD at once and clears the state cookie", async () => {
    const popup = await popupFor();
    const response = await submit(popup, { intent: "cancel" });
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe(`${emulator.url}/connect/external-integration/return`);
    expect(response.headers.get("set-cookie")).toMatch(/Max-Age=0/);
  });

  it("the state cookie lives for a day, so a popup left open past 10 minutes still learns it expired", async () => {
    const popup = await popupFor();
    expect(popup.setCookie).toContain("Max-Age=86400");
  });
});

/** A free TCP port, so the region emulator can be told its public URL before it starts. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

describe("regionInfo.regionUrl must be OfficeRnD's (item 5)", () => {
  it("a region on a host outside OFFICERND_REGION_HOSTS stops Connect with a clear page; no secret or location is fetched with the token", async () => {
    const port = await freePort();
    // The organisation's region is reported as 127.0.0.1, while OfficeRnD is configured as localhost.
    const foreign = await startEmulatorProcess([
      "--port",
      String(port),
      "--public-url",
      `http://127.0.0.1:${port}`,
      "--partner-url",
      APP_URL,
    ]);
    try {
      await pointAppAt(`http://localhost:${port}`);
      const target = await foreign.control<Integration>("/_emulator/integrations", {
        org: "acme-coworking",
        locations: [],
      });
      const { connectUrl } = await foreign.control<{ connectUrl: string }>("/_emulator/authorization-codes", {
        integrationId: target._id,
      });
      const popup = await openPopup(connectUrl);
      const pending = await db.pendingConnection.findUniqueOrThrow({ where: { id: popup.pendingId } });
      expect(pending).toMatchObject({
        status: "failed",
        error: "region_untrusted",
        regionUrl: null,
        credentialsEnc: null,
      });
      // The emulator records the secret fetch, which is the first call to the region with the token.
      expect(await foreign.control(`/_emulator/integrations/${target._id}`)).toMatchObject({
        secretFetchedAt: null,
        connected: false,
      });
      requestContext.cookies.set("ornd_connect_state", popup.state);
      const html = renderToStaticMarkup(
        await ConnectPage({ params: Promise.resolve({ id: popup.pendingId }) }),
      );
      expect(html).toContain("OfficeRnD sent an address we do not trust");
      expect(html).not.toContain("127.0.0.1");
      expect(html).toContain(`href="http://localhost:${port}/connect/external-integration/return"`);
    } finally {
      await foreign.stop();
      await pointAppAt(emulator.url);
    }
  });
});
