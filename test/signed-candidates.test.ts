// Which installation a signed request belongs to when an organisation holds several instances of the
// integration (issue 18 item 3): any sibling's secret verifies, not only the newest one's; a candidate
// whose stored secret cannot be decrypted never matches and never hides the others; the same for a
// webhook subscription whose secret cannot be decrypted.
import { randomUUID } from "node:crypto";
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { POST as receiveWebhook } from "@/app/api/webhooks/officernd/[installationId]/route";
import { encryptSecret } from "@/lib/crypto/secrets";
import { db } from "@/lib/db";
import { resetEnvForTests } from "@/lib/env";
import { resolveSignedInstallation } from "@/lib/installations/resolve-signed-installation";
import { stopSender } from "@/lib/jobs/boss";
import { log } from "@/lib/log";
import { buildSignedQuery, signWebhook } from "@/lib/officernd/signature";
import { closeSqlPool } from "@/lib/sql-pool";
import { createSignedFixture, nowSeconds, officeRndParams, type SignedFixture } from "./signed-helpers";
import { randomHex } from "./support/factories";

afterAll(async () => {
  await stopSender();
  await closeSqlPool();
});

/** Three instances of one organisation, connected a day apart: oldest, middle, newest. */
let siblings: SignedFixture[];
beforeEach(async () => {
  const oldest = await createSignedFixture({ accountName: "Oldest Ltd" });
  const slug = oldest.installation.orgSlug;
  const middle = await createSignedFixture({ orgSlug: slug, accountName: "Middle Ltd" });
  const newest = await createSignedFixture({ orgSlug: slug, accountName: "Newest Ltd" });
  siblings = [oldest, middle, newest];
  for (const [index, sibling] of siblings.entries())
    await db.installation.update({
      where: { id: sibling.installation.id },
      data: { connectedAt: new Date(Date.now() - (3 - index) * 86_400_000) },
    });
});

const signedQuery = (fixture: SignedFixture, secret = fixture.secret) =>
  buildSignedQuery(officeRndParams(fixture), secret, nowSeconds());

/** Stores a secret that decrypts for no one (sealed for another installation's context). */
async function makeSecretUndecryptable(fixture: SignedFixture): Promise<void> {
  await db.installation.update({
    where: { id: fixture.installation.id },
    data: { secretEnc: encryptSecret(fixture.secret, `installation:${randomUUID()}:secret`) },
  });
}

describe("a signed request from an organisation with several instances", () => {
  it("signed with the oldest sibling's secret resolves to the oldest sibling, not to the newest", async () => {
    const [oldest] = siblings;
    const result = await resolveSignedInstallation(signedQuery(oldest!));
    expect(result.ok && result.installation.id).toBe(oldest!.installation.id);
    expect(result.ok && result.installation.accountName).toBe("Oldest Ltd");
  });

  it("signed with the middle sibling's secret resolves to the middle one", async () => {
    const [, middle] = siblings;
    const result = await resolveSignedInstallation(signedQuery(middle!));
    expect(result.ok && result.installation.id).toBe(middle!.installation.id);
  });

  it("a newer sibling whose secret cannot be decrypted does not stop an older one from verifying", async () => {
    const [oldest, , newest] = siblings;
    await makeSecretUndecryptable(newest!);
    const result = await resolveSignedInstallation(signedQuery(oldest!));
    expect(result.ok && result.installation.id).toBe(oldest!.installation.id);
  });

  it("the sibling whose secret cannot be decrypted is never matched, even signed with its real secret", async () => {
    const [, , newest] = siblings;
    await makeSecretUndecryptable(newest!);
    const result = await resolveSignedInstallation(signedQuery(newest!));
    expect(result).toMatchObject({ ok: false, code: "invalid_signature", reason: "mismatch" });
  });
});

describe("a webhook for an installation with a subscription whose secret cannot be decrypted", () => {
  async function subscribe(installationId: string, secret: string, context?: string): Promise<void> {
    const id = randomUUID();
    await db.webhookSubscription.create({
      data: {
        id,
        installationId,
        remoteId: randomHex(),
        url: "http://app.test/hook",
        eventTypes: ["member.updated"],
        secretEnc: encryptSecret(secret, context ?? `webhook:${id}:secret`),
      },
    });
  }

  function deliver(installationId: string, secret: string) {
    const body = JSON.stringify({
      id: randomHex(),
      eventType: "member.updated",
      createdAt: new Date().toISOString(),
      data: { object: { _id: randomHex() } },
    });
    const request = new Request(`http://localhost/api/webhooks/officernd/${installationId}`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "officernd-signature": signWebhook(body, secret, nowSeconds()),
      },
      body,
    });
    return receiveWebhook(request, { params: Promise.resolve({ installationId }) });
  }

  it("is still verified with the other subscription's secret, and refused with the broken one's", async () => {
    const installationId = siblings[0]!.installation.id;
    const good = `good-${randomHex(8)}`;
    const broken = `broken-${randomHex(8)}`;
    await subscribe(installationId, broken, `webhook:${randomUUID()}:secret`);
    await subscribe(installationId, good);
    expect((await deliver(installationId, good)).status).toBe(200);
    const refused = await deliver(installationId, broken);
    expect(refused.status).toBe(401);
    expect(await refused.json()).toMatchObject({ error: "invalid_signature" });
  });
});

describe("a live and a removed installation of one organisation verifying with the same secret", () => {
  it("resolves to the live one even when the removed one connected later", async () => {
    const [oldest] = siblings;
    const removed = await createSignedFixture({
      orgSlug: oldest!.installation.orgSlug,
      secret: oldest!.secret,
      status: "removed",
      accountName: "Removed Ltd",
    });
    await db.installation.update({
      where: { id: removed.installation.id },
      data: { connectedAt: new Date() },
    });
    const result = await resolveSignedInstallation(signedQuery(oldest!));
    expect(result.ok && result.installation.id).toBe(oldest!.installation.id);
  });

  it("answers not_connected when only a removed installation verifies", async () => {
    const [, middle] = siblings;
    await db.installation.update({ where: { id: middle!.installation.id }, data: { status: "removed" } });
    expect(await resolveSignedInstallation(signedQuery(middle!))).toMatchObject({
      ok: false,
      code: "not_connected",
      reason: "removed",
    });
  });
});

// Mutation testing (issue 18): the precise reason of each refusal (logged, never shown to the caller).
describe("what resolveSignedInstallation reports", () => {
  const sign = (params: [string, string][], secret: string, t = nowSeconds()) =>
    buildSignedQuery(params, secret, t);

  it("the signed organizationId (quotes stripped) and memberId of a verified request", async () => {
    const [oldest] = siblings;
    const query = sign(
      officeRndParams(oldest!, [["memberId", "member-7"]]).map(([name, value]) => [
        name,
        name === "organizationId" ? `"${value}"` : value,
      ]),
      oldest!.secret,
    );
    expect(await resolveSignedInstallation(query)).toMatchObject({
      ok: true,
      organizationId: oldest!.orgId,
      memberId: "member-7",
    });
  });

  it("a signed organizationId other than the stored one is accepted (the secret verified) and noted in the log", async () => {
    const [oldest] = siblings;
    const warn = vi.spyOn(log, "warn");
    try {
      const noted = () =>
        warn.mock.calls.filter(
          ([, message]) => message === "signed organizationId differs from the stored one",
        );
      const withOrgId = (orgId: string | null) =>
        sign(
          officeRndParams(oldest!).flatMap(([name, value]): [string, string][] =>
            name !== "organizationId" ? [[name, value]] : orgId === null ? [] : [[name, orgId]],
          ),
          oldest!.secret,
        );

      expect(await resolveSignedInstallation(withOrgId(oldest!.orgId))).toMatchObject({ ok: true });
      expect(await resolveSignedInstallation(withOrgId(null))).toMatchObject({ ok: true });
      expect(noted()).toEqual([]);

      const other = `org-${randomHex(6)}`;
      const result = await resolveSignedInstallation(withOrgId(other));
      expect(result).toMatchObject({ ok: true, organizationId: other });
      expect(result.ok && result.installation.id).toBe(oldest!.installation.id);
      expect(noted()).toEqual([
        [{ installationId: oldest!.installation.id, slug: oldest!.installation.orgSlug }, expect.any(String)],
      ]);
    } finally {
      warn.mockRestore();
    }
  });

  it("verifies at the time it is given", async () => {
    const [oldest] = siblings;
    const hourAgo = nowSeconds() - 3600;
    const query = sign(officeRndParams(oldest!), oldest!.secret, hourAgo);
    expect(await resolveSignedInstallation(query)).toMatchObject({ ok: false, reason: "stale" });
    expect(await resolveSignedInstallation(query, { now: hourAgo })).toMatchObject({ ok: true });
  });

  it("stale before looking up the slug; no slug; an unknown slug; no locations", async () => {
    const [oldest] = siblings;
    const unknown: [string, string][] = [
      ["slug", `nobody-${randomHex(4)}`],
      ["locations", ""],
    ];
    expect(await resolveSignedInstallation(sign(unknown, oldest!.secret, nowSeconds() - 3600))).toMatchObject(
      {
        ok: false,
        code: "invalid_signature",
        reason: "stale",
      },
    );
    expect(await resolveSignedInstallation(sign(unknown, oldest!.secret))).toMatchObject({
      ok: false,
      code: "invalid_signature",
      reason: "unknown_slug",
      slug: unknown[0]![1],
    });
    expect(await resolveSignedInstallation(sign([["locations", ""]], oldest!.secret))).toMatchObject({
      ok: false,
      code: "invalid_signature",
      reason: "no_slug",
    });
    const withoutLocations = officeRndParams(oldest!).filter(([name]) => name !== "locations");
    expect(await resolveSignedInstallation(sign(withoutLocations, oldest!.secret))).toMatchObject({
      ok: false,
      code: "invalid_query",
      reason: "no_locations",
    });
  });
});

// healOrFail's catch: OfficeRnD cannot confirm changed locations right now (issue 18 mutation survivors).
describe("a verified request with other locations when OfficeRnD cannot be asked", () => {
  afterEach(() => {
    delete process.env.OFFICERND_IDENTITY_URL;
    resetEnvForTests();
  });
  const otherLocations = (fixture: SignedFixture) =>
    buildSignedQuery(officeRndParams(fixture, [], "loc-elsewhere"), fixture.secret, nowSeconds());

  it("is unavailable (503) while the token service does not answer", async () => {
    const [oldest] = siblings;
    process.env.OFFICERND_IDENTITY_URL = "http://127.0.0.1:9";
    resetEnvForTests();
    await db.installation.update({
      where: { id: oldest!.installation.id },
      data: { tokenExpiresAt: new Date(Date.now() - 60_000) },
    });
    expect(await resolveSignedInstallation(otherLocations(oldest!))).toEqual({
      ok: false,
      code: "unavailable",
      reason: "locations_unconfirmed",
      slug: oldest!.installation.orgSlug,
      message:
        "OfficeRnD sent a different set of locations and could not confirm them just now. Try again in a minute.",
    });
  });

  it("answers OfficeRnD's refusal (reconnect_required) with its own code and message", async () => {
    const [oldest] = siblings;
    await db.installation.update({
      where: { id: oldest!.installation.id },
      data: { tokenExpiresAt: new Date(Date.now() - 60_000), refreshTokenEnc: null },
    });
    expect(await resolveSignedInstallation(otherLocations(oldest!))).toEqual({
      ok: false,
      code: "reconnect_required",
      reason: "locations_unconfirmed",
      slug: oldest!.installation.orgSlug,
      message: "OfficeRnD no longer accepts this connection. Reconnect the integration from OfficeRnD.",
    });
  });
});
