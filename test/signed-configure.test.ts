// GET /configure: a signed link is exchanged once for a 30-minute session scoped to one installation,
// then 303 to /configure/<id>; and the session helpers the configuration screen relies on. (The screen
// itself is covered by e2e/api/signed-requests.spec.ts and the configuration screen's own tests.)
import { createHash } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import * as configureRoute from "@/app/configure/route";
import * as syncRoute from "@/app/api/officernd/sync/route";
import {
  checkConfigureAccess,
  createConfigureSession,
  findConfigureSession,
  requireConfigureSession,
} from "@/lib/auth/configure-session";
import { db } from "@/lib/db";
import { resetEnvForTests } from "@/lib/env";
import { AppError } from "@/lib/errors";
import {
  createSignedFixture,
  nowSeconds,
  officeRndParams,
  signedUrl,
  stateSnapshot,
  type SignedFixture,
} from "./signed-helpers";

// The request's cookies, as next/headers would read them inside a Next request.
const requestCookies = new Map<string, string>();
vi.mock("next/headers", () => ({
  cookies: async () => ({
    get: (name: string) => (requestCookies.has(name) ? { name, value: requestCookies.get(name) } : undefined),
  }),
}));

let fixture: SignedFixture;
beforeEach(async () => {
  requestCookies.clear();
  fixture = await createSignedFixture({
    accountName: "J&J Ltd",
    locations: [
      { id: "loc-1", name: "Downtown" },
      { id: "loc-2", name: "Harbour" },
    ],
  });
});

const configureUrl = (t = nowSeconds(), extra: [string, string][] = [["memberId", "member-1"]]) =>
  signedUrl("/configure", officeRndParams(fixture, extra), fixture.secret, t);
const sha256 = (value: string) => createHash("sha256").update(value).digest("hex");
const tokenFrom = (setCookie: string | null) => /^configure-session=([^;]+)/.exec(setCookie ?? "")?.[1];

describe("GET /configure with a valid signed link", () => {
  it("answers 303 to /configure/<installationId> with an HttpOnly session cookie (SameSite=Lax over http)", async () => {
    const response = await configureRoute.GET(new Request(configureUrl()));
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe(`/configure/${fixture.installation.id}`);
    const setCookie = response.headers.get("set-cookie");
    expect(setCookie).toMatch(
      /^configure-session=[A-Za-z0-9_-]{43}; Path=\/; Max-Age=1800; HttpOnly; SameSite=Lax$/,
    );
  });

  it("stores only the SHA-256 of the token, scoped to the installation, expiring in 30 minutes", async () => {
    const startedAt = Date.now();
    const response = await configureRoute.GET(new Request(configureUrl()));
    const token = tokenFrom(response.headers.get("set-cookie"))!;
    const rows = await db.configureSession.findMany({ where: { installationId: fixture.installation.id } });
    expect(rows).toHaveLength(1);
    expect(rows[0]!.tokenHash).toBe(sha256(token));
    expect(rows[0]!.expiresAt.getTime() - startedAt).toBeGreaterThanOrEqual(30 * 60_000 - 1000);
    expect(rows[0]!.expiresAt.getTime() - startedAt).toBeLessThanOrEqual(30 * 60_000 + 5000);
    expect(await findConfigureSession(token)).toEqual({ installationId: fixture.installation.id });
  });

  it("records who opened it (OfficeRnD's memberId) in the audit trail", async () => {
    await configureRoute.GET(new Request(configureUrl()));
    expect(await db.auditEvent.findMany({ where: { installationId: fixture.installation.id } })).toEqual([
      expect.objectContaining({
        action: "configure.session_started",
        actor: `officernd-admin:${fixture.installation.id}`,
        after: { memberId: "member-1" },
      }),
    ]);
  });

  it("over https the cookie is __Host-, Secure, SameSite=None and Partitioned (OfficeRnD may frame the page)", async () => {
    process.env.APP_URL = "https://partner.example.com";
    resetEnvForTests();
    try {
      const response = await configureRoute.GET(new Request(configureUrl()));
      expect(response.headers.get("set-cookie")).toMatch(
        /^__Host-configure-session=[A-Za-z0-9_-]{43}; Path=\/; Max-Age=1800; HttpOnly; Secure; SameSite=None; Partitioned$/,
      );
    } finally {
      delete process.env.APP_URL;
      resetEnvForTests();
    }
  });
});

describe("GET /configure with a link that cannot be used", () => {
  it("the same link a second time → 409 friendly page, no second session", async () => {
    const url = configureUrl();
    expect((await configureRoute.GET(new Request(url))).status).toBe(303);
    const before = await stateSnapshot();
    const replay = await configureRoute.GET(new Request(url));
    expect(replay.status).toBe(409);
    expect(replay.headers.get("set-cookie")).toBeNull();
    expect(await replay.text()).toContain("This link was already used");
    expect(await stateSnapshot()).toEqual(before);
  });

  it("two concurrent uses of one link → exactly one session", async () => {
    const url = configureUrl();
    const statuses = (
      await Promise.all(Array.from({ length: 5 }, () => configureRoute.GET(new Request(url))))
    )
      .map((response) => response.status)
      .sort();
    expect(statuses).toEqual([303, 409, 409, 409, 409]);
    expect(await db.configureSession.count({ where: { installationId: fixture.installation.id } })).toBe(1);
  });

  it("an expired link → 401 'This link has expired — open the configuration again from OfficeRnD'", async () => {
    const response = await configureRoute.GET(new Request(configureUrl(nowSeconds() - 3600)));
    expect(response.status).toBe(401);
    expect(response.headers.get("content-type")).toBe("text/html; charset=utf-8");
    const html = await response.text();
    expect(html).toContain("This link has expired");
    expect(html).toContain("Open the configuration again from OfficeRnD.");
    expect(await db.configureSession.count({ where: { installationId: fixture.installation.id } })).toBe(0);
  });

  it("a signed URL already spent at the Sync URL cannot open a session (the signature covers no path)", async () => {
    const url = signedUrl("/api/officernd/sync", officeRndParams(fixture), fixture.secret);
    expect((await syncRoute.GET(new Request(url))).status).toBe(200);
    const asConfigure = url.replace("/api/officernd/sync", "/configure");
    expect((await configureRoute.GET(new Request(asConfigure))).status).toBe(409);
  });

  it("a link for a removed installation → 404 friendly page", async () => {
    await db.installation.update({ where: { id: fixture.installation.id }, data: { status: "removed" } });
    const response = await configureRoute.GET(new Request(configureUrl()));
    expect(response.status).toBe(404);
    expect(await response.text()).toContain("This integration is not connected");
  });
});

describe("session helpers", () => {
  it("findConfigureSession: unknown, empty and expired tokens have no session", async () => {
    const { token } = await createConfigureSession(fixture.installation.id);
    expect(await findConfigureSession(token)).toEqual({ installationId: fixture.installation.id });
    expect(await findConfigureSession("not-a-token")).toBeNull();
    expect(await findConfigureSession("")).toBeNull();
    expect(await findConfigureSession(undefined)).toBeNull();
    await db.configureSession.updateMany({ data: { expiresAt: new Date(Date.now() - 1000) } });
    expect(await findConfigureSession(token)).toBeNull();
  });

  it("requireConfigureSession: 401 without a session, 403 for another installation, the session otherwise", async () => {
    const { token } = await createConfigureSession(fixture.installation.id);
    await expect(requireConfigureSession(fixture.installation.id)).rejects.toMatchObject({
      code: "unauthorized",
      status: 401,
    });

    requestCookies.set("configure-session", token);
    expect(await requireConfigureSession(fixture.installation.id)).toEqual({
      installationId: fixture.installation.id,
    });
    const error = await requireConfigureSession("another-installation").catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: "forbidden", status: 403 });
    expect(await checkConfigureAccess("another-installation")).toEqual({ kind: "other_installation" });
  });

  it("the cookie from /configure is the session that getConfigureSession reads", async () => {
    const response = await configureRoute.GET(new Request(configureUrl()));
    requestCookies.set("configure-session", tokenFrom(response.headers.get("set-cookie"))!);
    expect(await checkConfigureAccess(fixture.installation.id)).toEqual({
      kind: "granted",
      session: { installationId: fixture.installation.id },
    });
  });
});

afterEach(() => {
  requestCookies.clear();
});
