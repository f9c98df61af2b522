// The per-process cache of what signed calls are verified with (lib/installations/signed-cache.ts,
// issue 16 §1): the healthcheck, the Sync URL and the webhook receiver verify against a copy ≤ 60 s
// old, but a change is never missed — this process's own changes forget the copy at once, and a change
// made elsewhere (another instance; here: straight in the database) is caught by the acting statement,
// which then decides again on fresh rows. The TTL is checked with an injected clock.
import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { GET as healthcheck } from "@/app/api/officernd/healthcheck/route";
import { GET as syncUrl } from "@/app/api/officernd/sync/route";
import { POST as webhook } from "@/app/api/webhooks/officernd/[installationId]/route";
import { encryptSecret } from "@/lib/crypto/secrets";
import { db } from "@/lib/db";
import { resolveSignedInstallation } from "@/lib/installations/resolve-signed-installation";
import { forgetAllInstallations, SIGNED_CACHE_TTL_MS } from "@/lib/installations/signed-cache";
import { teardownInstallation } from "@/lib/installations/teardown";
import { stopSender } from "@/lib/jobs/boss";
import { buildSignedQuery, signWebhook } from "@/lib/officernd/signature";
import { closeSqlPool } from "@/lib/sql-pool";
import { createInstallation, randomHex } from "./support/factories";
import {
  createSignedFixture,
  nowSeconds,
  officeRndParams,
  signedUrl,
  stateSnapshot,
  type SignedFixture,
} from "./signed-helpers";

afterAll(async () => {
  await stopSender();
  await closeSqlPool();
});

const probe = async (fixture: SignedFixture, secret = fixture.secret) => {
  const response = await healthcheck(
    new Request(signedUrl("/api/officernd/healthcheck", officeRndParams(fixture), secret)),
  );
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};

const toggle = async (fixture: SignedFixture, enabled: boolean, secret = fixture.secret) => {
  const params = officeRndParams(fixture, [["enabled", String(enabled)]]);
  const response = await syncUrl(new Request(signedUrl("/api/officernd/sync", params, secret)));
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};

const syncEnabledOf = async (fixture: SignedFixture) =>
  (await db.installation.findUniqueOrThrow({ where: { id: fixture.installation.id } })).syncEnabled;

/** What another app instance does when the organisation reconnects: a new secret in the row. */
async function replaceSecretElsewhere(fixture: SignedFixture): Promise<string> {
  const secret = randomHex(32);
  await db.installation.update({
    where: { id: fixture.installation.id },
    data: { secretEnc: encryptSecret(secret, `installation:${fixture.installation.id}:secret`) },
  });
  return secret;
}

describe("signed GETs", () => {
  it("a disconnect in this process is seen by the very next healthcheck and Sync URL", async () => {
    const fixture = await createSignedFixture();
    expect((await probe(fixture)).status).toBe(200); // the organisation's installations are cached now
    await teardownInstallation({
      installationId: fixture.installation.id,
      actor: "user:test",
      reason: "disconnect",
    });
    expect(await probe(fixture)).toMatchObject({ status: 404, body: { error: "not_connected" } });
    const before = await stateSnapshot();
    expect(await toggle(fixture, true)).toMatchObject({ status: 404, body: { error: "not_connected" } });
    expect(await stateSnapshot()).toEqual(before);
  });

  it("an installation removed by another instance is never toggled, audited or claimed from the cache", async () => {
    const fixture = await createSignedFixture();
    expect(await toggle(fixture, false)).toMatchObject({ status: 200, body: { syncEnabled: false } });
    await db.installation.update({ where: { id: fixture.installation.id }, data: { status: "removed" } });
    const before = await stateSnapshot();
    expect(await toggle(fixture, true)).toMatchObject({ status: 404, body: { error: "not_connected" } });
    expect(await stateSnapshot()).toEqual(before);
    expect(await syncEnabledOf(fixture)).toBe(false);
    expect(await probe(fixture)).toMatchObject({ status: 404, body: { error: "not_connected" } });
  });

  it("after another instance replaced the secret, the old one is refused and the new one accepted at once", async () => {
    const fixture = await createSignedFixture();
    expect((await probe(fixture)).status).toBe(200);
    const newSecret = await replaceSecretElsewhere(fixture);
    const before = await stateSnapshot();
    expect(await probe(fixture)).toMatchObject({ status: 401, body: { error: "invalid_signature" } });
    expect(await toggle(fixture, true)).toMatchObject({ status: 401, body: { error: "invalid_signature" } });
    expect(await stateSnapshot()).toEqual(before); // no ledger entry, no probe, no toggle
    expect(await probe(fixture, newSecret)).toMatchObject({ status: 200 });
    expect(await toggle(fixture, true, newSecret)).toMatchObject({
      status: 200,
      body: { syncEnabled: true },
    });
  });

  it("an installation deleted by another instance answers as an unknown organisation, from the cache too", async () => {
    const fixture = await createSignedFixture();
    expect((await probe(fixture)).status).toBe(200);
    await db.installation.delete({ where: { id: fixture.installation.id } });
    expect(await toggle(fixture, true)).toMatchObject({ status: 401, body: { error: "invalid_signature" } });
    expect(await probe(fixture)).toMatchObject({ status: 401, body: { error: "invalid_signature" } });
  });

  it("a state changed by another instance is what the answer reports (read in the acting statement)", async () => {
    const fixture = await createSignedFixture({ accountName: "Before Ltd" });
    expect(await probe(fixture)).toMatchObject({ status: 200, body: { accountName: "Before Ltd" } });
    await db.account.update({ where: { id: fixture.account.id }, data: { name: "After Ltd" } });
    expect(await probe(fixture)).toMatchObject({ status: 200, body: { accountName: "After Ltd" } });
    await db.installation.update({
      where: { id: fixture.installation.id },
      data: { status: "reconnect_required" },
    });
    expect(await probe(fixture)).toMatchObject({ status: 409, body: { error: "reconnect_required" } });
  });

  it("a sibling installation connected since is found although the organisation is cached", async () => {
    const first = await createSignedFixture();
    expect((await probe(first)).status).toBe(200);
    const second = await createSignedFixture({
      accountId: first.account.id,
      orgSlug: first.installation.orgSlug,
    });
    const response = await toggle(second, true);
    expect(response).toMatchObject({ status: 200, body: { syncEnabled: true } });
    expect(await syncEnabledOf(second)).toBe(true);
    expect(await syncEnabledOf(first)).toBe(false);
  });
});

describe("the cache's lifetime (injected clock)", () => {
  const sign = (fixture: SignedFixture, secret: string, atSeconds: number) =>
    buildSignedQuery(officeRndParams(fixture), secret, atSeconds);

  it("is used within 60 s and read again after it", async () => {
    forgetAllInstallations();
    const fixture = await createSignedFixture();
    const start = nowSeconds();
    const first = await resolveSignedInstallation(sign(fixture, fixture.secret, start), {
      candidates: "cached",
      now: start,
    });
    expect(first).toMatchObject({ ok: true, isFromCache: false });
    // Another instance reconnects: the row has a new secret, this process still holds the old one.
    await replaceSecretElsewhere(fixture);

    const within = start + SIGNED_CACHE_TTL_MS / 1000 - 1;
    const cached = await resolveSignedInstallation(sign(fixture, fixture.secret, within), {
      candidates: "cached",
      now: within,
    });
    // Verified from the copy: only the acting statement's check (the tests above) stops it from acting.
    expect(cached).toMatchObject({ ok: true, isFromCache: true });

    const after = start + SIGNED_CACHE_TTL_MS / 1000 + 1;
    const expired = await resolveSignedInstallation(sign(fixture, fixture.secret, after), {
      candidates: "cached",
      now: after,
    });
    expect(expired).toMatchObject({ ok: false, code: "invalid_signature", reason: "mismatch" });
  });

  it("a disconnect in this process drops the organisation from the cache at once", async () => {
    const fixture = await createSignedFixture();
    const at = nowSeconds();
    const query = sign(fixture, fixture.secret, at);
    expect(await resolveSignedInstallation(query, { candidates: "cached", now: at })).toMatchObject({
      ok: true,
    });
    expect(await resolveSignedInstallation(query, { candidates: "cached", now: at })).toMatchObject({
      ok: true,
      isFromCache: true,
    });
    await teardownInstallation({
      installationId: fixture.installation.id,
      actor: "user:test",
      reason: "disconnect",
    });
    expect(await resolveSignedInstallation(query, { candidates: "cached", now: at })).toMatchObject({
      ok: false,
      reason: "removed",
    });
  });

  it("runs on the real clock when no time is given", async () => {
    const fixture = await createSignedFixture();
    const query = sign(fixture, fixture.secret, nowSeconds());
    expect(await resolveSignedInstallation(query, { candidates: "cached" })).toMatchObject({
      ok: true,
      isFromCache: false,
    });
    expect(await resolveSignedInstallation(query, { candidates: "cached" })).toMatchObject({
      ok: true,
      isFromCache: true,
    });
  });

  it("never accepts a removed installation's secret from the cache", async () => {
    // A disconnected sibling of the same organisation, with the same locations, read into the cache too.
    const fixture = await createSignedFixture();
    const removed = await createInstallation({
      accountId: fixture.account.id,
      orgSlug: fixture.installation.orgSlug,
      locations: fixture.locations,
      status: "removed",
    });
    const at = nowSeconds();
    const query = sign(fixture, removed.secret, at);
    for (let attempt = 0; attempt < 2; attempt++) {
      expect(await resolveSignedInstallation(query, { candidates: "cached", now: at })).toMatchObject({
        ok: false,
        reason: "removed",
      });
    }
  });

  it('is never used without candidates: "cached" (the default reads fresh rows)', async () => {
    const fixture = await createSignedFixture();
    const at = nowSeconds();
    await resolveSignedInstallation(sign(fixture, fixture.secret, at), { candidates: "cached", now: at });
    await replaceSecretElsewhere(fixture);
    expect(await resolveSignedInstallation(sign(fixture, fixture.secret, at), { now: at })).toMatchObject({
      ok: false,
      reason: "mismatch",
    });
  });
});

describe("webhooks", () => {
  async function withSubscription(secret: string) {
    const fixture = await createSignedFixture();
    const id = randomUUID();
    await db.webhookSubscription.create({
      data: {
        id,
        installationId: fixture.installation.id,
        remoteId: randomHex(),
        url: "http://app.test/hook",
        eventTypes: ["member.updated"],
        secretEnc: encryptSecret(secret, `webhook:${id}:secret`),
      },
    });
    return { installationId: fixture.installation.id, subscriptionId: id };
  }

  const deliver = (installationId: string, secret: string) => {
    const body = JSON.stringify({
      id: randomHex(),
      eventType: "member.updated",
      data: { object: { _id: randomHex(), name: "Ann" } },
    });
    const request = new Request(`http://app.test/api/webhooks/officernd/${installationId}`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "officernd-signature": signWebhook(body, secret, nowSeconds()),
      },
      body,
    });
    return webhook(request, { params: Promise.resolve({ installationId }) });
  };
  const storedCount = (installationId: string) => db.webhookEvent.count({ where: { installationId } });

  it("a subscription replaced by another instance: the old secret stores nothing, the new one is accepted", async () => {
    const oldSecret = randomHex(16);
    const { installationId, subscriptionId } = await withSubscription(oldSecret);
    expect((await deliver(installationId, oldSecret)).status).toBe(200); // cached now
    const newSecret = randomHex(16);
    await db.webhookSubscription.update({
      where: { id: subscriptionId },
      data: { secretEnc: encryptSecret(newSecret, `webhook:${subscriptionId}:secret`) },
    });
    expect((await deliver(installationId, oldSecret)).status).toBe(401);
    expect(await storedCount(installationId)).toBe(1);
    expect((await deliver(installationId, newSecret)).status).toBe(200);
    expect(await storedCount(installationId)).toBe(2);
  });

  it("a subscription deleted by another instance stores nothing signed with its secret", async () => {
    const secret = randomHex(16);
    const { installationId, subscriptionId } = await withSubscription(secret);
    expect((await deliver(installationId, secret)).status).toBe(200);
    await db.webhookSubscription.delete({ where: { id: subscriptionId } });
    expect((await deliver(installationId, secret)).status).toBe(401);
    expect(await storedCount(installationId)).toBe(1);
  });
});
