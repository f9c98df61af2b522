// Shared by the test/connect-*.test.ts files: a real emulator, the Connect popup driven through the
// route handlers (GET /connect, POST /connect/<id>/complete), and the state of both sides.
import { GET as connectGet } from "@/app/connect/route";
import { POST as completePost } from "@/app/connect/[id]/complete/route";
import { afterAll, beforeAll, beforeEach } from "vitest";
import { db } from "@/lib/db";
import { STATE_COOKIE } from "@/lib/connect/state";
import { startEmulatorProcess, type EmulatorProcess } from "./support/emulator";
import { createUserWithAccount } from "./support/factories";
// Aliased: the helper is not a React hook, whatever its name suggests to the linter.
import { useOfficeRnd as pointAppAt } from "./support/officernd-env";

export const APP_URL = "http://localhost:3000";

import { requestContext } from "./connect-request-context";

export { requestContext };

export type Integration = {
  _id: string;
  org: string;
  locations: string[];
  secret: string;
  webhookIds: string[];
  connected: boolean;
};
export type Organization = {
  _id: string;
  slug: string;
  name: string;
  locations: { _id: string; name: string }[];
};
export type RemoteWebhook = {
  _id: string;
  orgSlug: string;
  url: string;
  eventTypes: string[];
  secret: string;
  integrationId: string | null;
};

export async function startConnectEmulator(): Promise<EmulatorProcess> {
  process.env.APP_URL = APP_URL;
  const emulator = await startEmulatorProcess([
    "--partner-url",
    APP_URL,
    "--members",
    "20",
    "--companies",
    "5",
  ]);
  await pointAppAt(emulator.url);
  return emulator;
}

export type ConnectSetup = {
  emulator: EmulatorProcess;
  acme: Organization;
  owner: Awaited<ReturnType<typeof createUserWithAccount>>;
};

/**
 * The setup most connect tests share, as vitest hooks: one emulator for the file, the acme organisation,
 * and before each test a fresh signed-in owner whose account is named `<accountPrefix> <random>`.
 * Read the fields inside tests (they are filled in by the hooks).
 */
export function withConnectEmulator(accountPrefix: string): ConnectSetup {
  const setup = {} as ConnectSetup;
  beforeAll(async () => {
    setup.emulator = await startConnectEmulator();
    setup.acme = await organization(setup.emulator, "acme-coworking");
  });
  afterAll(async () => {
    await setup.emulator?.stop();
  });
  beforeEach(async () => {
    setup.owner = await createUserWithAccount({
      accountName: `${accountPrefix} ${Math.random().toString(36).slice(2, 6)}`,
    });
    requestContext.user = {
      id: setup.owner.user.id,
      email: setup.owner.user.email,
      name: setup.owner.user.name,
    };
    requestContext.cookies.clear();
  });
  return setup;
}

export async function organization(emulator: EmulatorProcess, slug: string): Promise<Organization> {
  const state = await emulator.control<{ organizations: Organization[] }>("/_emulator/state");
  return state.organizations.find((candidate) => candidate.slug === slug)!;
}

export function addIntegration(
  emulator: EmulatorProcess,
  org: string,
  locations: string[] = [],
): Promise<Integration> {
  return emulator.control<Integration>("/_emulator/integrations", { org, locations });
}

/** Clicks Connect in OfficeRnD: a fresh one-minute code and the Connect URL with the four parameters. */
export async function connectUrlFor(emulator: EmulatorProcess, integrationId: string): Promise<string> {
  const { connectUrl } = await emulator.control<{ connectUrl: string }>("/_emulator/authorization-codes", {
    integrationId,
  });
  return connectUrl;
}

export type Popup = { pendingId: string; state: string; location: string; setCookie: string };

/** GET /connect as the popup does; returns the pending id and the state cookie it set. */
export async function openPopup(connectUrl: string): Promise<Popup> {
  const response = await connectGet(new Request(connectUrl));
  const location = response.headers.get("location") ?? "";
  const setCookie = response.headers.get("set-cookie") ?? "";
  const pendingId = /\/connect\/([0-9a-f-]{36})$/.exec(location)?.[1] ?? "";
  const state = new RegExp(`^${STATE_COOKIE}=([^;]+)`).exec(setCookie)?.[1] ?? "";
  return { pendingId, state, location, setCookie };
}

/** POST /connect/<id>/complete with the popup's cookie (or another one) and the signed-in user. */
export async function submit(
  popup: Pick<Popup, "pendingId" | "state">,
  form: { intent: "connect" | "cancel"; accountId?: string },
  options: { state?: string | null; origin?: string } = {},
): Promise<Response> {
  requestContext.cookies.clear();
  const state = options.state === undefined ? popup.state : options.state;
  if (state !== null) requestContext.cookies.set(STATE_COOKIE, state);
  const body = new URLSearchParams(
    Object.entries(form).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
  const request = new Request(`${APP_URL}/connect/${popup.pendingId}/complete`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", origin: options.origin ?? APP_URL },
    body,
  });
  return completePost(request, { params: Promise.resolve({ id: popup.pendingId }) });
}

export function remoteWebhooks(emulator: EmulatorProcess, org: string): Promise<RemoteWebhook[]> {
  return emulator.control<RemoteWebhook[]>(`/_emulator/webhooks?org=${org}`);
}

/** Rows a connect may write; equal to zero everywhere means nothing was left behind. */
export async function installationRows() {
  const [installations, locations, webhooks] = await Promise.all([
    db.installation.count(),
    db.installationLocation.count(),
    db.webhookSubscription.count(),
  ]);
  return { installations, locations, webhooks };
}
