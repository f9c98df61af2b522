// getAccessToken: the stored token while it has > 60 s left; otherwise one refresh per installation,
// however many callers ask at once (in one process or several), with the rotated refresh token
// stored; invalid_grant marks the installation reconnect_required; outages are `unavailable`.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { decryptSecret } from "@/lib/crypto/secrets";
import { db } from "@/lib/db";
import { resetEnvForTests } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { getAccessToken, isTokenFresh } from "@/lib/officernd/tokens";
import { createInstallation, createUserWithAccount } from "./support/factories";
import type { EmulatorProcess } from "./support/emulator";
import { startConnectEmulator } from "./connect-helpers";

let emulator: EmulatorProcess;
let accountId: string;
const realFetch = globalThis.fetch;
/** Every request this process sends to OfficeRnD's token endpoint. */
let tokenRequests: URLSearchParams[] = [];

beforeAll(async () => {
  emulator = await startConnectEmulator();
  vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    if (url.endsWith("/oauth/token")) tokenRequests.push(new URLSearchParams(String(init?.body ?? "")));
    return realFetch(input, init);
  });
});
afterAll(async () => {
  vi.restoreAllMocks();
  await emulator?.stop();
});
beforeEach(async () => {
  tokenRequests = [];
  accountId = (await createUserWithAccount()).account.id;
});
afterEach(async () => {
  await emulator.control("/_emulator/faults", undefined, "DELETE");
  delete process.env.OFFICERND_HTTP_TIMEOUT_MS;
  resetEnvForTests();
});

/** Real tokens from the emulator (minted without the token endpoint), stored as a connect would. */
async function installationWithTokens(options: { expiresInMs: number }) {
  const minted = await emulator.control<{ access_token: string; refresh_token: string }>(
    "/_emulator/tokens",
    {
      org: "acme-coworking",
      scope: "officernd.api.read officernd.api.write",
    },
  );
  const { installation } = await createInstallation({
    accountId,
    orgSlug: "acme-coworking",
    regionUrl: emulator.url,
    accessToken: minted.access_token,
    refreshToken: minted.refresh_token,
    tokenExpiresAt: new Date(Date.now() + options.expiresInMs),
  });
  return { id: installation.id, accessToken: minted.access_token, refreshToken: minted.refresh_token };
}

async function stored(id: string) {
  const row = await db.installation.findUniqueOrThrow({ where: { id } });
  return {
    status: row.status,
    accessToken: decryptSecret(row.accessTokenEnc!, `installation:${id}:access`),
    refreshToken: decryptSecret(row.refreshTokenEnc!, `installation:${id}:refresh`),
    expiresAt: row.tokenExpiresAt!,
  };
}

/** Does OfficeRnD (the emulator) accept this token? */
async function isAccepted(token: string): Promise<boolean> {
  const response = await realFetch(`${emulator.url}/api/v1/organizations/acme-coworking`, {
    headers: { authorization: `Bearer ${token}` },
  });
  return response.ok;
}

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe("isTokenFresh (pure)", () => {
  const now = new Date("2026-01-01T12:00:00Z");
  it.each([
    [61_000, true],
    [60_001, true],
    [60_000, false],
    [59_000, false],
    [-1000, false],
  ])("a token expiring in %i ms is fresh: %s", (inMs, expected) => {
    expect(isTokenFresh({ expiresAt: new Date(now.getTime() + inMs), now })).toBe(expected);
  });
  it("no expiry recorded means not fresh", () => expect(isTokenFresh({ expiresAt: null, now })).toBe(false));
});

describe("a token before its early-refresh window (more than 15 min left)", () => {
  it("is returned as stored, without any token request", async () => {
    const installation = await installationWithTokens({ expiresInMs: 16 * 60_000 });
    expect(await getAccessToken(installation.id)).toBe(installation.accessToken);
    expect(tokenRequests).toHaveLength(0);
  });
});

describe("a token with 60 s or less left", () => {
  it("is refreshed once; the new access token, the rotated refresh token and the expiry are stored", async () => {
    const installation = await installationWithTokens({ expiresInMs: 30_000 });
    const token = await getAccessToken(installation.id);
    expect(token).not.toBe(installation.accessToken);
    expect(await isAccepted(token)).toBe(true);
    expect(tokenRequests).toHaveLength(1);
    expect(Object.fromEntries(tokenRequests[0]!)).toMatchObject({
      grant_type: "refresh_token",
      refresh_token: installation.refreshToken,
      client_id: "demo-partner-app",
      client_secret: "demo-partner-secret",
      scope: "officernd.api.read officernd.api.write",
    });
    const after = await stored(installation.id);
    expect(after).toMatchObject({ status: "active", accessToken: token });
    expect(after.refreshToken).not.toBe(installation.refreshToken);
    expect(after.expiresAt.getTime()).toBeGreaterThan(Date.now() + 3500_000);
    // The next call reuses it.
    expect(await getAccessToken(installation.id)).toBe(token);
    expect(tokenRequests).toHaveLength(1);
  });

  it("10 parallel callers cause exactly one token request and all get the same fresh token", async () => {
    const installation = await installationWithTokens({ expiresInMs: -60_000 });
    await emulator.control("/_emulator/faults", { path: "/oauth/token", latencyMs: 300, times: 10 });
    const tokens = await Promise.all(Array.from({ length: 10 }, () => getAccessToken(installation.id)));
    expect(tokenRequests).toHaveLength(1);
    expect(new Set(tokens).size).toBe(1);
    expect(tokens[0]).toBe((await stored(installation.id)).accessToken);
  });

  it("callers in separate processes (separate module instances) also cause one request: the database lock decides", async () => {
    const installation = await installationWithTokens({ expiresInMs: -60_000 });
    // A slow token endpoint makes every caller overlap the first refresh.
    await emulator.control("/_emulator/faults", { path: "/oauth/token", latencyMs: 300, times: 12 });
    const instances = [];
    for (let index = 0; index < 3; index++) {
      vi.resetModules();
      instances.push(await import("@/lib/officernd/tokens"));
    }
    expect(new Set(instances).size).toBe(3);
    const tokens = await Promise.all(
      instances.flatMap((instance) =>
        Array.from({ length: 4 }, () => instance.getAccessToken(installation.id)),
      ),
    );
    expect(tokenRequests).toHaveLength(1);
    expect(new Set(tokens).size).toBe(1);
  });
});

describe("forceRefresh (after a 401 from the API)", () => {
  it("refreshes even though the stored token looks valid", async () => {
    const installation = await installationWithTokens({ expiresInMs: 30 * 60_000 });
    const token = await getAccessToken(installation.id, { forceRefresh: true });
    expect(token).not.toBe(installation.accessToken);
    expect(tokenRequests).toHaveLength(1);
  });

  it("is done once for concurrent callers who saw the same rejected token", async () => {
    const installation = await installationWithTokens({ expiresInMs: 30 * 60_000 });
    const tokens = await Promise.all(
      Array.from({ length: 10 }, () =>
        getAccessToken(installation.id, { forceRefresh: true, rejectedToken: installation.accessToken }),
      ),
    );
    expect(tokenRequests).toHaveLength(1);
    expect(new Set(tokens).size).toBe(1);
  });

  it("is skipped when the stored token already changed since the caller's token was rejected", async () => {
    const installation = await installationWithTokens({ expiresInMs: 30 * 60_000 });
    const fresh = await getAccessToken(installation.id, { forceRefresh: true });
    expect(
      await getAccessToken(installation.id, { forceRefresh: true, rejectedToken: installation.accessToken }),
    ).toBe(fresh);
    expect(tokenRequests).toHaveLength(1);
  });
});

describe("failures", () => {
  it("invalid_grant marks the installation reconnect_required, audits it and throws reconnect_required; later calls ask nothing", async () => {
    const installation = await installationWithTokens({ expiresInMs: -1000 });
    // Spend the refresh token elsewhere (OfficeRnD rotates it), so ours is refused.
    await realFetch(`${emulator.url}/oauth/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        grant_type: "refresh_token",
        refresh_token: installation.refreshToken,
        client_id: "demo-partner-app",
        client_secret: "demo-partner-secret",
      }),
    });
    const errors = await Promise.all([1, 2, 3].map(() => rejection(getAccessToken(installation.id))));
    expect(errors.map((error) => error.code)).toEqual([
      "reconnect_required",
      "reconnect_required",
      "reconnect_required",
    ]);
    expect(tokenRequests).toHaveLength(1);
    expect((await stored(installation.id)).status).toBe("reconnect_required");
    expect(await db.auditEvent.findMany({ where: { installationId: installation.id } })).toEqual([
      expect.objectContaining({
        action: "installation.reconnect_required",
        actor: "system",
        before: { status: "active" },
      }),
    ]);
    expect((await rejection(getAccessToken(installation.id))).code).toBe("reconnect_required");
    expect(tokenRequests).toHaveLength(1);
  });

  it.each([
    // A 503 or 429 is retried once (refused before anything happened), so both attempts fail here.
    ["a 5xx", { path: "/oauth/token", status: 503, times: 2 }],
    [
      "a 429",
      { path: "/oauth/token", status: 429, retryAfter: 1, body: { error: "too_many_requests" }, times: 2 },
    ],
    ["a dropped connection", { path: "/oauth/token", drop: true, times: 1 }],
  ])(
    "%s from the token endpoint throws unavailable and keeps the installation active and its tokens",
    async (_name, fault) => {
      const installation = await installationWithTokens({ expiresInMs: -1000 });
      await emulator.control("/_emulator/faults", fault);
      expect((await rejection(getAccessToken(installation.id))).code).toBe("unavailable");
      expect(await stored(installation.id)).toMatchObject({
        status: "active",
        accessToken: installation.accessToken,
        refreshToken: installation.refreshToken,
      });
      // Once OfficeRnD is back, the same refresh token still works.
      expect(await isAccepted(await getAccessToken(installation.id))).toBe(true);
    },
  );

  it("a token endpoint slower than OFFICERND_HTTP_TIMEOUT_MS throws unavailable", async () => {
    process.env.OFFICERND_HTTP_TIMEOUT_MS = "300";
    resetEnvForTests();
    const installation = await installationWithTokens({ expiresInMs: -1000 });
    await emulator.control("/_emulator/faults", { path: "/oauth/token", latencyMs: 2000, times: 1 });
    expect((await rejection(getAccessToken(installation.id))).code).toBe("unavailable");
    expect((await stored(installation.id)).status).toBe("active");
  });

  it("removed and unknown installations are refused without a token request", async () => {
    const installation = await installationWithTokens({ expiresInMs: -1000 });
    await db.installation.update({ where: { id: installation.id }, data: { status: "removed" } });
    expect((await rejection(getAccessToken(installation.id))).code).toBe("not_connected");
    expect((await rejection(getAccessToken("00000000-0000-4000-8000-00000000dead"))).code).toBe("not_found");
    expect(tokenRequests).toHaveLength(0);
  });
});
