// Issue 11 part 4: the admin changes the integration's locations at OfficeRnD after Connect. The next
// signed call carries the new `locations`; when OfficeRnD's integration record (re-read through the
// emulator's real API) agrees, the installation follows it and the call is answered normally, instead
// of 404 `locations_mismatch`. Only when OfficeRnD disagrees is the call refused.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as healthcheck } from "@/app/api/officernd/healthcheck/route";
import { db } from "@/lib/db";
import { startEmulatorProcess, type EmulatorProcess } from "./support/emulator";
import { useOfficeRnd } from "./support/officernd-env";
import { createSignedFixture, officeRndParams, signedUrl, type SignedFixture } from "./signed-helpers";

let emulator: EmulatorProcess;
let orgSlug: string;
let locationIds: string[];

type Integration = { _id: string; locations: string[] };

beforeAll(async () => {
  emulator = await startEmulatorProcess();
  await useOfficeRnd(emulator.url);
  const state = await emulator.control<{ organizations: { slug: string }[] }>("/_emulator/state");
  orgSlug = state.organizations[0]!.slug;
  const ndjson = await (await fetch(`${emulator.url}/_emulator/data/${orgSlug}?kind=locations`)).text();
  locationIds = ndjson
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => (JSON.parse(line) as { _id: string })._id);
});
afterAll(async () => {
  await emulator?.stop();
});

/** An installation connected to a fresh emulator integration for `locations`, with a working token. */
async function connectedFixture(
  locations: string[],
): Promise<{ fixture: SignedFixture; integration: Integration }> {
  const integration = await emulator.control<Integration>("/_emulator/integrations", {
    org: orgSlug,
    locations,
  });
  const tokens = await emulator.control<{ access_token: string; refresh_token: string }>(
    "/_emulator/tokens",
    {
      org: orgSlug,
      scope: "officernd.api.read officernd.api.write",
      integrationId: integration._id,
    },
  );
  const fixture = await createSignedFixture({
    orgSlug,
    integrationId: integration._id,
    regionUrl: emulator.url,
    accessToken: tokens.access_token,
    refreshToken: tokens.refresh_token,
    locations: locations.map((id) => ({ id, name: `Location ${id.slice(-4)}` })),
  });
  return { fixture, integration };
}

const editAtOfficeRnd = (integration: Integration, locations: string[]) =>
  emulator.control(`/_emulator/integrations/${integration._id}`, { locations }, "PATCH");
const call = async (fixture: SignedFixture, locations: string) => {
  const response = await healthcheck(
    new Request(
      signedUrl("/api/officernd/healthcheck", officeRndParams(fixture, [], locations), fixture.secret),
    ),
  );
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};
const stored = (fixture: SignedFixture) =>
  db.installation.findUniqueOrThrow({
    where: { id: fixture.installation.id },
    select: {
      locationsKey: true,
      locations: { select: { locationId: true, syncEnabled: true }, orderBy: { locationId: "asc" } },
    },
  });

describe("locations changed at OfficeRnD", () => {
  it("a location added at OfficeRnD heals: 200, a new row with sync on, audited — not 404", async () => {
    const [first, second] = locationIds as [string, string];
    const { fixture, integration } = await connectedFixture([first]);
    await editAtOfficeRnd(integration, [first, second]);

    expect(await call(fixture, `${first}, ${second}`)).toMatchObject({
      status: 200,
      body: { accountName: expect.any(String) },
    });
    const row = await stored(fixture);
    expect(row.locationsKey).toBe([first, second].sort().join(","));
    expect(row.locations).toEqual(
      [
        { locationId: first, syncEnabled: true },
        { locationId: second, syncEnabled: true },
      ].sort((a, b) => a.locationId.localeCompare(b.locationId)),
    );
    const audit = await db.auditEvent.findMany({
      where: {
        installationId: fixture.installation.id,
        action: "installation.locations.changed_at_officernd",
      },
    });
    expect(audit).toHaveLength(1);
    expect(audit[0]!.after).toEqual({ locationsKey: row.locationsKey, added: [second], dropped: [] });
    // The next call with the same set is ordinary: no second re-read, no second audit.
    expect((await call(fixture, `${second},${first}`)).status).toBe(200);
    expect(
      await db.auditEvent.count({
        where: {
          installationId: fixture.installation.id,
          action: "installation.locations.changed_at_officernd",
        },
      }),
    ).toBe(1);
  });

  it("a location dropped at OfficeRnD stops syncing, and its row (and data) is kept", async () => {
    const [first, second] = locationIds as [string, string];
    const { fixture, integration } = await connectedFixture([first, second]);
    await editAtOfficeRnd(integration, [second]);

    expect((await call(fixture, second)).status).toBe(200);
    const row = await stored(fixture);
    expect(row.locationsKey).toBe(second);
    expect(row.locations).toContainEqual({ locationId: first, syncEnabled: false });
    expect(row.locations).toContainEqual({ locationId: second, syncEnabled: true });
  });

  it("a location the partner switched off stays off when OfficeRnD adds another", async () => {
    const [first, second, third] = locationIds as [string, string, string];
    const { fixture, integration } = await connectedFixture([first, second]);
    await db.installationLocation.updateMany({
      where: { installationId: fixture.installation.id, locationId: second },
      data: { syncEnabled: false },
    });
    await editAtOfficeRnd(integration, [first, second, third]);

    expect((await call(fixture, [first, second, third].join(","))).status).toBe(200);
    const row = await stored(fixture);
    expect(row.locations).toContainEqual({ locationId: second, syncEnabled: false });
    expect(row.locations).toContainEqual({ locationId: third, syncEnabled: true });
  });

  it("OfficeRnD disagrees (its integration lists other locations) → 404 not_connected, nothing changed", async () => {
    const [first, second] = locationIds as [string, string];
    const { fixture } = await connectedFixture([first]);
    const before = await stored(fixture);

    expect(await call(fixture, `${first},${second}`)).toMatchObject({
      status: 404,
      body: { error: "not_connected", message: expect.stringContaining("different set of locations") },
    });
    expect(await stored(fixture)).toEqual(before);
  });
});
