// Shared by the sync benchmark and the sync/webhook integration tests: an installation of the app
// connected to an emulator organisation (tokens minted through the emulator's control API), and a
// record-for-record comparison of our copy with the emulator's data.
import { randomBytes, randomUUID } from "node:crypto";
import { encryptSecret } from "@/lib/crypto/secrets";
import { db } from "@/lib/db";

export type Control = <T = unknown>(route: string, body?: unknown, method?: string) => Promise<T>;
export type EmulatorHandle = { url: string; control: Control };

type Doc = { _id: string; modifiedAt?: string; location?: string | null; status?: string | null } & Record<
  string,
  unknown
>;

/** `GET /_emulator/data/<slug>?kind=…[&location=…]`: NDJSON, one record per line in `_id` order. */
export async function emulatorRecords(
  emulator: EmulatorHandle,
  org: string,
  kind: "members" | "companies" | "locations",
  location?: string,
): Promise<Doc[]> {
  const query = new URLSearchParams({ kind, ...(location ? { location } : {}) });
  const response = await fetch(`${emulator.url}/_emulator/data/${org}?${query.toString()}`);
  if (!response.ok) throw new Error(`snapshot ${kind}: ${response.status}`);
  const text = await response.text();
  return text
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as Doc);
}

export async function mintTokens(
  emulator: EmulatorHandle,
  org: string,
): Promise<{ accessToken: string; refreshToken: string }> {
  const issued = await emulator.control<{ access_token: string; refresh_token: string }>(
    "/_emulator/tokens",
    {
      org,
      scope: "officernd.api.read officernd.api.write",
    },
  );
  return { accessToken: issued.access_token, refreshToken: issued.refresh_token };
}

export type ConnectedInstallation = {
  installationId: string;
  accountId: string;
  integrationId: string;
  locationIds: string[];
  org: string;
};

/**
 * An active, syncing installation for `org` with every location (locationsKey "") or the given ones,
 * its tokens stored encrypted as the Connect flow stores them.
 */
export async function connectInstallation({
  emulator,
  org,
  locationIds,
  integrationId = randomBytes(12).toString("hex"),
  settings = {},
}: {
  emulator: EmulatorHandle;
  org: string;
  locationIds?: string[];
  integrationId?: string;
  settings?: Record<string, unknown>;
}): Promise<ConnectedInstallation> {
  const locations = await emulatorRecords(emulator, org, "locations");
  const chosen = locationIds ? locations.filter((location) => locationIds.includes(location._id)) : locations;
  const { accessToken, refreshToken } = await mintTokens(emulator, org);
  const account = await db.account.create({ data: { name: `Bench ${randomBytes(3).toString("hex")}` } });
  const id = randomUUID();
  await db.installation.create({
    data: {
      id,
      accountId: account.id,
      orgSlug: org,
      orgName: org,
      integrationId,
      regionUrl: emulator.url,
      locationsKey: locationIds ? [...locationIds].sort().join(",") : "",
      syncEnabled: true,
      secretEnc: encryptSecret(randomBytes(32).toString("hex"), `installation:${id}:secret`),
      accessTokenEnc: encryptSecret(accessToken, `installation:${id}:access`),
      refreshTokenEnc: encryptSecret(refreshToken, `installation:${id}:refresh`),
      tokenScope: "officernd.api.read officernd.api.write",
      tokenExpiresAt: new Date(Date.now() + 3_000_000),
      locations: {
        create: chosen.map((location) => ({
          locationId: location._id,
          name: String(location.name),
          settings: settings as object,
        })),
      },
    },
  });
  return {
    installationId: id,
    accountId: account.id,
    integrationId,
    locationIds: chosen.map((location) => location._id),
    org,
  };
}

export type Difference = { kind: string; id: string; problem: "missing" | "extra" | "different" };

/**
 * Compares our live rows with the emulator's records that the installation should copy: each location
 * row, companies of the locations (if synced) and members with the chosen statuses. Equal means the
 * same ids, and for each the same stored document.
 */
export async function compareWithEmulator({
  emulator,
  installation,
  memberStatuses = ["active"],
  syncCompanies = true,
  syncMembers = true,
}: {
  emulator: EmulatorHandle;
  installation: ConnectedInstallation;
  memberStatuses?: string[];
  syncCompanies?: boolean;
  syncMembers?: boolean;
}): Promise<Difference[]> {
  const { installationId, org, locationIds } = installation;
  const inLocations = (doc: Doc) => typeof doc.location === "string" && locationIds.includes(doc.location);
  const expected = {
    locations: (await emulatorRecords(emulator, org, "locations")).filter((doc) =>
      locationIds.includes(doc._id),
    ),
    companies: syncCompanies ? (await emulatorRecords(emulator, org, "companies")).filter(inLocations) : [],
    members: syncMembers
      ? (await emulatorRecords(emulator, org, "members")).filter(
          (doc) => inLocations(doc) && memberStatuses.includes(String(doc.status)),
        )
      : [],
  };
  const actual = {
    locations: await db.syncedLocation.findMany({
      where: { installationId, deletedAt: null },
      select: { remoteId: true, data: true },
    }),
    companies: await db.company.findMany({
      where: { installationId, deletedAt: null },
      select: { remoteId: true, data: true },
    }),
    members: await db.member.findMany({
      where: { installationId, deletedAt: null },
      select: { remoteId: true, data: true },
    }),
  };
  const differences: Difference[] = [];
  for (const kind of ["locations", "companies", "members"] as const) {
    const ours = new Map(actual[kind].map((row) => [row.remoteId, row.data]));
    for (const doc of expected[kind]) {
      const row = ours.get(doc._id);
      if (row === undefined) differences.push({ kind, id: doc._id, problem: "missing" });
      else if (JSON.stringify(sortKeys(row)) !== JSON.stringify(sortKeys(doc)))
        differences.push({ kind, id: doc._id, problem: "different" });
      ours.delete(doc._id);
    }
    for (const id of ours.keys()) differences.push({ kind, id, problem: "extra" });
  }
  return differences;
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, sortKeys((value as Record<string, unknown>)[key])]),
  );
}

export const SYNC_EVENT_TYPES = [
  "member.created",
  "member.updated",
  "member.removed",
  "company.created",
  "company.updated",
  "company.removed",
  "location.created",
  "location.updated",
  "location.removed",
  "integration.removed",
];

/**
 * Registers a webhook subscription at the emulator (API v2, as Connect does) for `url`, and stores it
 * the way Connect stores it: a WebhookSubscription row with the secret encrypted.
 */
export async function subscribeWebhooks({
  emulator,
  installation,
  url,
  eventTypes = SYNC_EVENT_TYPES,
}: {
  emulator: EmulatorHandle;
  installation: ConnectedInstallation;
  url: string;
  eventTypes?: string[];
}): Promise<{ subscriptionId: string; remoteId: string; secret: string }> {
  const { accessToken } = await mintTokens(emulator, installation.org);
  const response = await fetch(`${emulator.url}/api/v2/organizations/${installation.org}/webhooks`, {
    method: "POST",
    headers: { authorization: `Bearer ${accessToken}`, "content-type": "application/json" },
    body: JSON.stringify({ url, eventTypes, description: "sync tests" }),
  });
  if (!response.ok) throw new Error(`webhook subscription: ${response.status} ${await response.text()}`);
  const created = (await response.json()) as { _id: string; secret: string };
  const subscriptionId = randomUUID();
  await db.webhookSubscription.create({
    data: {
      id: subscriptionId,
      installationId: installation.installationId,
      remoteId: created._id,
      url,
      eventTypes,
      secretEnc: encryptSecret(created.secret, `webhook:${subscriptionId}:secret`),
    },
  });
  return { subscriptionId, remoteId: created._id, secret: created.secret };
}
