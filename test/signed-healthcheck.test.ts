// GET /api/officernd/healthcheck: `{ accountName }` while the installation is active and its token
// works (refreshed through the emulator's real token endpoint when needed), otherwise 409 or 503.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET } from "@/app/api/officernd/healthcheck/route";
import { decryptSecret } from "@/lib/crypto/secrets";
import { db } from "@/lib/db";
import { checkInstallationHealth } from "@/lib/installations/check-installation-health";
import { withDatabaseDown } from "./support/database-down";
import { startEmulatorProcess, type EmulatorProcess } from "./support/emulator";
import { useOfficeRnd } from "./support/officernd-env";
import { createSignedFixture, officeRndParams, signedUrl, type SignedFixture } from "./signed-helpers";

const PATH = "/api/officernd/healthcheck";
let emulator: EmulatorProcess;
let orgSlug: string;

beforeAll(async () => {
  emulator = await startEmulatorProcess();
  await useOfficeRnd(emulator.url);
  const state = await emulator.control<{ organizations: { slug: string }[] }>("/_emulator/state");
  orgSlug = state.organizations[0]!.slug;
});
afterAll(async () => {
  await emulator?.stop();
});

type Tokens = { access_token: string; refresh_token: string };
const mintTokens = () =>
  emulator.control<Tokens>("/_emulator/tokens", {
    org: orgSlug,
    scope: "officernd.api.read officernd.api.write",
  });

const check = async (fixture: SignedFixture) => {
  const response = await GET(new Request(signedUrl(PATH, officeRndParams(fixture), fixture.secret)));
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};
const reload = (fixture: SignedFixture) =>
  db.installation.findUniqueOrThrow({ where: { id: fixture.installation.id } });

describe("healthy", () => {
  it("answers 200 with the partner account's name and records lastHealthcheckAt", async () => {
    const fixture = await createSignedFixture({ accountName: "J&J Ltd" });
    expect((await reload(fixture)).lastHealthcheckAt).toBeNull();
    const before = Date.now();
    expect(await check(fixture)).toEqual({ status: 200, body: { accountName: "J&J Ltd" } });
    expect((await reload(fixture)).lastHealthcheckAt!.getTime()).toBeGreaterThanOrEqual(before - 1000);
  });

  it("refreshes an expiring token at OfficeRnD and stores the new one before answering 200", async () => {
    const tokens = await mintTokens();
    const fixture = await createSignedFixture({
      orgSlug,
      refreshToken: tokens.refresh_token,
      accessToken: "old-access",
      tokenExpiresAt: new Date(Date.now() + 30_000),
    });
    expect(await check(fixture)).toMatchObject({ status: 200, body: { accountName: expect.any(String) } });
    const row = await reload(fixture);
    expect(row.tokenExpiresAt!.getTime()).toBeGreaterThan(Date.now() + 30 * 60_000);
    expect(decryptSecret(row.accessTokenEnc!, `installation:${fixture.installation.id}:access`)).not.toBe(
      "old-access",
    );
    expect(row.status).toBe("active");
  });
});

describe("unhealthy", () => {
  it("a refresh token OfficeRnD refuses → 409 reconnect_required, and the installation is marked", async () => {
    const fixture = await createSignedFixture({
      orgSlug,
      refreshToken: "refused-refresh-token",
      tokenExpiresAt: new Date(Date.now() - 1000),
    });
    const result = await check(fixture);
    expect(result).toEqual({
      status: 409,
      body: {
        error: "reconnect_required",
        message: expect.stringContaining("refused our refresh token on ") as string,
        action: expect.stringContaining("Reconnect") as string,
      },
    });
    const row = await reload(fixture);
    expect(row.status).toBe("reconnect_required");
    expect(row.lastHealthcheckAt).not.toBeNull();
  });

  it("an installation already marked reconnect_required → 409 without asking OfficeRnD", async () => {
    const fixture = await createSignedFixture({
      status: "reconnect_required",
      tokenExpiresAt: new Date(Date.now() - 1000),
      refreshToken: "never-used",
    });
    expect(await check(fixture)).toMatchObject({ status: 409, body: { error: "reconnect_required" } });
  });

  it("OfficeRnD's token endpoint failing (HTTP 503) → 503 unavailable, installation left active", async () => {
    const tokens = await mintTokens();
    const fixture = await createSignedFixture({
      orgSlug,
      refreshToken: tokens.refresh_token,
      tokenExpiresAt: new Date(Date.now() - 1000),
    });
    // More failures than the token request's one retry: OfficeRnD stays unavailable for this check.
    await emulator.control("/_emulator/faults", { path: "/oauth/token", status: 503, times: 5 });
    try {
      const result = await check(fixture);
      expect(result).toEqual({
        status: 503,
        body: {
          error: "unavailable",
          message: expect.stringContaining("unavailable") as string,
          action: expect.stringContaining("retry automatically") as string,
        },
      });
      expect((await reload(fixture)).status).toBe("active");
    } finally {
      await emulator.control("/_emulator/faults", undefined, "DELETE");
    }
  });

  it("OfficeRnD unreachable → 503 unavailable with Retry-After", async () => {
    const fixture = await createSignedFixture({
      refreshToken: "whatever",
      tokenExpiresAt: new Date(Date.now() - 1000),
    });
    await useOfficeRnd("http://127.0.0.1:9");
    try {
      const response = await GET(new Request(signedUrl(PATH, officeRndParams(fixture), fixture.secret)));
      expect(response.status).toBe(503);
      expect(response.headers.get("retry-after")).toBe("30");
      expect(await response.json()).toEqual({
        error: "unavailable",
        message: expect.any(String),
        action: expect.any(String),
      });
    } finally {
      await useOfficeRnd(emulator.url);
    }
  });

  it("the database down → 503 unavailable, not a 500", async () => {
    const fixture = await createSignedFixture();
    await withDatabaseDown(async () => {
      const response = await GET(new Request(signedUrl(PATH, officeRndParams(fixture), fixture.secret)));
      expect(response.status).toBe(503);
      expect(await response.json()).toEqual({
        error: "unavailable",
        message: expect.any(String),
        action: expect.any(String),
      });
    });
  });

  it("an unexpected error from the token check → 503, never a 500", async () => {
    const fixture = await createSignedFixture();
    // The token is about to expire, so the check must go through the (failing) token probe.
    const installation = {
      ...fixture.installation,
      accountName: "x",
      status: "active" as const,
      tokenExpiresAt: new Date(Date.now() + 1_000),
      lastHealthcheckAt: null,
    };
    await expect(
      checkInstallationHealth(installation, {
        probeToken: () => {
          throw new TypeError("boom");
        },
      }),
    ).rejects.toMatchObject({ code: "unavailable", status: 503 });
  });
});
