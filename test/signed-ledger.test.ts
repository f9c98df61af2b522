// Issue 12 item 1: one ledger of every accepted signature, on every signed route. OfficeRnD signs the
// query, not the path, so a healthcheck URL seen in an access log must not open /configure or toggle
// /api/officernd/sync; a repeated healthcheck still answers (OfficeRnD may retry it).
import { beforeEach, describe, expect, it, vi } from "vitest";
import * as configureRoute from "@/app/configure/route";
import * as healthcheckRoute from "@/app/api/officernd/healthcheck/route";
import * as syncRoute from "@/app/api/officernd/sync/route";
import { db } from "@/lib/db";
import { createSignedFixture, officeRndParams, signedUrl, type SignedFixture } from "./signed-helpers";

vi.mock("next/headers", () => ({ cookies: async () => ({ get: () => undefined }) }));

let fixture: SignedFixture;
beforeEach(async () => {
  fixture = await createSignedFixture({ accountName: "J&J Ltd" });
});

const healthcheckUrl = () =>
  signedUrl(
    "/api/officernd/healthcheck",
    officeRndParams(fixture, [["memberId", "member-1"]]),
    fixture.secret,
  );
const sessions = () => db.configureSession.count({ where: { installationId: fixture.installation.id } });
const syncEnabled = async () =>
  (await db.installation.findUniqueOrThrow({ where: { id: fixture.installation.id } })).syncEnabled;

describe("the signature ledger", () => {
  it("a healthcheck URL replayed at /configure is refused (409) and opens no session", async () => {
    const url = healthcheckUrl();
    expect((await healthcheckRoute.GET(new Request(url))).status).toBe(200);
    const replay = await configureRoute.GET(
      new Request(url.replace("/api/officernd/healthcheck", "/configure")),
    );
    expect(replay.status).toBe(409);
    expect(replay.headers.get("set-cookie")).toBeNull();
    expect(await sessions()).toBe(0);
  });

  it("a healthcheck URL replayed at /api/officernd/sync changes nothing (answers the state, replayed)", async () => {
    const url = healthcheckUrl();
    expect((await healthcheckRoute.GET(new Request(url))).status).toBe(200);
    const replay = await syncRoute.GET(
      new Request(url.replace("/api/officernd/healthcheck", "/api/officernd/sync")),
    );
    expect(replay.status).toBe(200);
    expect(await replay.json()).toEqual({ syncEnabled: false, accountName: "J&J Ltd", replayed: true });
    expect(await syncEnabled()).toBe(false);
    expect(
      await db.auditEvent.count({
        where: { installationId: fixture.installation.id, action: "installation.sync_enabled.set" },
      }),
    ).toBe(0);
  });

  it("a repeated healthcheck still answers 200, and records its signature once", async () => {
    const url = healthcheckUrl();
    expect((await healthcheckRoute.GET(new Request(url))).status).toBe(200);
    expect((await healthcheckRoute.GET(new Request(url))).status).toBe(200);
    expect(
      await db.usedSignature.count({ where: { route: "officernd-healthcheck" } }),
    ).toBeGreaterThanOrEqual(1);
  });

  it("a /configure link replayed at the healthcheck answers (it unlocks nothing there)", async () => {
    const url = signedUrl("/configure", officeRndParams(fixture, [["memberId", "member-1"]]), fixture.secret);
    expect((await configureRoute.GET(new Request(url))).status).toBe(303);
    expect(
      (await healthcheckRoute.GET(new Request(url.replace("/configure", "/api/officernd/healthcheck"))))
        .status,
    ).toBe(200);
    expect(await sessions()).toBe(1);
  });

  it("a healthcheck racing a /configure launch with the same signature: at most one session, never one after the healthcheck won", async () => {
    const url = healthcheckUrl();
    const [health, configure] = await Promise.all([
      healthcheckRoute.GET(new Request(url)),
      configureRoute.GET(new Request(url.replace("/api/officernd/healthcheck", "/configure"))),
    ]);
    expect(health.status).toBe(200);
    expect([303, 409]).toContain(configure.status);
    expect(await sessions()).toBe(configure.status === 303 ? 1 : 0);
  });
});
