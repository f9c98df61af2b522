// Issue 13 part 4, the healthcheck that says why and what to do, against real Postgres: each failure
// answers `{error, message, action}` (≤ 200 characters, since when, no secret), the configuration page
// reads the same diagnosis, and the answer turns back to 200 once the cause is gone.
import { afterAll, describe, expect, it } from "vitest";
import { GET } from "@/app/api/officernd/healthcheck/route";
import { db } from "@/lib/db";
import { diagnoseInstallation } from "@/lib/installations/diagnosis";
import { formatWhen } from "@/lib/installations/diagnosis-table";
import { stopSender } from "@/lib/jobs/boss";
import { createSignedFixture, officeRndParams, signedUrl, type SignedFixture } from "./signed-helpers";

afterAll(async () => {
  await stopSender();
});

const probe = async (fixture: SignedFixture) => {
  const response = await GET(
    new Request(signedUrl("/api/officernd/healthcheck", officeRndParams(fixture), fixture.secret)),
  );
  return { status: response.status, body: (await response.json()) as Record<string, string> };
};

function expectWellFormed(body: Record<string, string>) {
  expect(Object.keys(body).sort()).toEqual(["action", "error", "message"]);
  for (const field of ["error", "message", "action"]) expect(body[field]!.length).toBeLessThanOrEqual(200);
}

async function failedRun(
  fixture: SignedFixture,
  { minutesAgo, error }: { minutesAgo: number; error: string },
) {
  const at = new Date(Date.now() - minutesAgo * 60_000);
  return db.syncRun.create({
    data: {
      installationId: fixture.installation.id,
      locationId: fixture.locations[0]!.id,
      kind: "full",
      trigger: "test",
      status: "failed",
      error,
      createdAt: at,
      startedAt: at,
      finishedAt: at,
    },
  });
}

describe("the healthcheck's diagnosis", () => {
  it("healthy: 200 with the account name", async () => {
    const fixture = await createSignedFixture({ accountName: "Healthy Ltd" });
    expect(await probe(fixture)).toEqual({ status: 200, body: { accountName: "Healthy Ltd" } });
  });

  it("sync failing: 503 sync_failing naming the location, since its first failure, the reason, and Retry sync", async () => {
    const fixture = await createSignedFixture({
      locations: [{ id: "loc-berlin", name: "Acme Berlin Mitte" }],
    });
    const first = await failedRun(fixture, {
      minutesAgo: 90,
      error: "Gave up after 5 attempts: OfficeRnD GET /members answered 503",
    });
    await failedRun(fixture, {
      minutesAgo: 30,
      error: "Gave up after 5 attempts: OfficeRnD GET /members answered 503 (Bearer abc.def)",
    });
    const { status, body } = await probe(fixture);
    expect(status).toBe(503);
    expectWellFormed(body);
    expect(body).toMatchObject({
      error: "sync_failing",
      action: expect.stringContaining("Retry sync") as string,
    });
    expect(body.message).toBe(
      `Sync of Acme Berlin Mitte has failed since ${formatWhen(first.finishedAt!)}: Gave up after 5 attempts: OfficeRnD GET /members answered 503 (Bearer [redacted])`,
    );
    // The configuration page shows the same words and offers the fix.
    expect(await diagnoseInstallation(fixture.installation.id)).toMatchObject({
      message: body.message,
      action: body.action,
      fix: "retry_sync",
    });

    // A successful run afterwards: healthy again.
    await db.syncRun.create({
      data: {
        installationId: fixture.installation.id,
        locationId: fixture.locations[0]!.id,
        kind: "incremental",
        trigger: "test",
        status: "succeeded",
        finishedAt: new Date(),
      },
    });
    expect((await probe(fixture)).status).toBe(200);
  });

  it("a location whose sync is switched off does not make the installation unhealthy", async () => {
    const fixture = await createSignedFixture();
    await failedRun(fixture, { minutesAgo: 10, error: "boom" });
    await db.installationLocation.updateMany({
      where: { installationId: fixture.installation.id },
      data: { syncEnabled: false },
    });
    expect((await probe(fixture)).status).toBe(200);
  });

  it("webhooks missing at OfficeRnD: 503 webhooks_missing since when, and Recreate webhooks", async () => {
    const fixture = await createSignedFixture();
    const since = new Date(Date.now() - 45 * 60_000);
    await db.webhookHealth.create({
      data: {
        installationId: fixture.installation.id,
        subscriptionMissingSince: since,
        subscriptionError: "OfficeRnD answered HTTP 503.",
      },
    });
    const { status, body } = await probe(fixture);
    expect(status).toBe(503);
    expectWellFormed(body);
    expect(body).toEqual({
      error: "webhooks_missing",
      message: `OfficeRnD has had no webhook subscription for us since ${formatWhen(since)}: changes arrive only with the 15-minute check.`,
      action: "Open Configure and click Recreate webhooks.",
    });
    expect(await diagnoseInstallation(fixture.installation.id)).toMatchObject({ fix: "recreate_webhooks" });
  });

  it("reconnect required: since when OfficeRnD refused us (from the audit trail), and Reconnect", async () => {
    const fixture = await createSignedFixture({ status: "reconnect_required" });
    const refusedAt = new Date(Date.now() - 3 * 3_600_000);
    await db.auditEvent.create({
      data: {
        installationId: fixture.installation.id,
        accountId: fixture.account.id,
        actor: "system",
        action: "installation.reconnect_required",
        createdAt: refusedAt,
      },
    });
    const { status, body } = await probe(fixture);
    expect(status).toBe(409);
    expectWellFormed(body);
    expect(body.message).toBe(
      `OfficeRnD refused our refresh token on ${formatWhen(refusedAt)}: the connection was revoked or the app's credentials changed.`,
    );
    expect(body.action).toContain("Reconnect");
  });

  it("a bad signature also says what to do", async () => {
    const fixture = await createSignedFixture();
    const { status, body } = await probe({ ...fixture, secret: "not-the-secret" });
    expect(status).toBe(401);
    expectWellFormed(body);
    expect(body).toMatchObject({
      error: "invalid_signature",
      action: expect.stringContaining("secret") as string,
    });
  });
});
