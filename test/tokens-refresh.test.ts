// getAccessToken: the stored token while it has > 60 s left; otherwise one refresh per installation,
// however many callers ask at once (in one process or several), with the rotated refresh token
// stored; invalid_grant marks the installation reconnect_required; outages are `unavailable`.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { decryptSecret, encryptSecret } from "@/lib/crypto/secrets";
import { db } from "@/lib/db";
import { resetEnvForTests } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { metrics } from "@/lib/metrics";
import { takeTokenSlot } from "@/lib/officernd/token-budget";
import { DUE_MARGIN_MS, earlyRefreshMarginMs, getAccessToken, isTokenFresh } from "@/lib/officernd/tokens";
import { OfficeRndError } from "@/lib/officernd/upstream-failures";
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

const RECONNECT_MESSAGE =
  "OfficeRnD no longer accepts this connection. Reconnect the integration from OfficeRnD.";

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
    const before = await refreshCounts();
    expect(await getAccessToken(installation.id)).toBe(installation.accessToken);
    expect(tokenRequests).toHaveLength(0);
    // Not even a refresh that finds it under the lock: the stored token is used as it is.
    expect(await countedSince(before)).toEqual({});
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
    const before = await refreshCounts();
    const tokens = await Promise.all(Array.from({ length: 10 }, () => getAccessToken(installation.id)));
    expect(tokenRequests).toHaveLength(1);
    // One refresh in this process, which the other nine joined (none re-read the row under the lock).
    expect(await countedSince(before)).toEqual({ refreshed: 1 });
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
    const before = await refreshCounts();
    const tokens = await Promise.all(
      instances.flatMap((instance) =>
        Array.from({ length: 4 }, () => instance.getAccessToken(installation.id)),
      ),
    );
    expect(tokenRequests).toHaveLength(1);
    // Each instance refreshed once for its 4 callers: one asked OfficeRnD, two found its token under the lock.
    expect(await countedSince(before)).toEqual({ refreshed: 1, reused: 2 });
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
    await emulator.control("/_emulator/faults", { path: "/oauth/token", latencyMs: 300, times: 10 });
    const before = await refreshCounts();
    const tokens = await Promise.all(
      Array.from({ length: 10 }, () =>
        getAccessToken(installation.id, { forceRefresh: true, rejectedToken: installation.accessToken }),
      ),
    );
    expect(tokenRequests).toHaveLength(1);
    expect(new Set(tokens).size).toBe(1);
    // The nine others joined the first one's refresh and took its new token.
    expect(await countedSince(before)).toEqual({ refreshed: 1 });
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
    await spendRefreshToken(installation.refreshToken);
    const errors = await Promise.all([1, 2, 3].map(() => rejection(getAccessToken(installation.id))));
    expect(errors.map((error) => error.code)).toEqual([
      "reconnect_required",
      "reconnect_required",
      "reconnect_required",
    ]);
    expect(tokenRequests).toHaveLength(1);
    expect((await stored(installation.id)).status).toBe("reconnect_required");
    expect(errors[0]!.message).toBe(RECONNECT_MESSAGE);
    expect(await db.auditEvent.findMany({ where: { installationId: installation.id } })).toEqual([
      expect.objectContaining({
        accountId,
        action: "installation.reconnect_required",
        actor: "system",
        before: { status: "active" },
        after: { status: "reconnect_required", why: "refresh token refused (invalid_grant)" },
      }),
    ]);
    // Later calls: refused from the stored status, with the same words.
    const later = await rejection(getAccessToken(installation.id));
    expect([later.code, later.message]).toEqual(["reconnect_required", RECONNECT_MESSAGE]);
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
      const error = await rejection(getAccessToken(installation.id));
      expect(error.code).toBe("unavailable");
      expect(error.message).toBe("OfficeRnD's sign-in service is unavailable. Try again in a minute.");
      expect(error.cause).toBeInstanceOf(OfficeRndError);
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
    const removed = await rejection(getAccessToken(installation.id));
    expect([removed.code, removed.message]).toEqual([
      "not_connected",
      "The integration was removed from OfficeRnD.",
    ]);
    const unknown = await rejection(getAccessToken("00000000-0000-4000-8000-00000000dead"));
    expect([unknown.code, unknown.message]).toEqual(["not_found", "No such installation."]);
    expect(tokenRequests).toHaveLength(0);
  });
});

// Found by mutation testing (issue 18, docs/mutation-testing.md): the early refresh, the token budget's
// "no spare slot", the re-check under the lock, the refusals passed on as they are, what a refresh
// stores when OfficeRnD neither rotates the refresh token nor repeats the scope, and the refresh counter.
describe("refresh edges", () => {
  /** As test/support/database-per-file.ts set it: the budget never in the way. */
  const perMinuteBefore = process.env.OFFICERND_TOKEN_REQUESTS_PER_MINUTE;
  afterEach(async () => {
    process.env.OFFICERND_TOKEN_REQUESTS_PER_MINUTE = perMinuteBefore;
    resetEnvForTests();
    await db.rateLimitBucket.deleteMany({});
  });

  /** Another instance's token request took the budget's next slot (N a minute). */
  async function spendTokenSlot(perMinute: number) {
    process.env.OFFICERND_TOKEN_REQUESTS_PER_MINUTE = String(perMinute);
    resetEnvForTests();
    await db.rateLimitBucket.deleteMany({});
    await takeTokenSlot({ clientId: "demo-partner-app", perMinute, priority: "urgent", maxWaitMs: 0 });
  }

  /** Midway through its early-refresh window: past its own early point, more than 5 minutes left. */
  async function installationInEarlyWindow() {
    for (let attempt = 0; attempt < 20; attempt++) {
      const installation = await installationWithTokens({ expiresInMs: 60 * 60_000 });
      const margin = earlyRefreshMarginMs(installation.id);
      if (margin < DUE_MARGIN_MS + 60_000) continue; // a window under a minute wide: take another id
      await db.installation.update({
        where: { id: installation.id },
        data: { tokenExpiresAt: new Date(Date.now() + (DUE_MARGIN_MS + margin) / 2) },
      });
      return installation;
    }
    throw new Error("no installation id with an early window over a minute wide");
  }

  describe("an early refresh (between the installation's early point and 5 minutes left)", () => {
    it("refreshes when the budget has a slot to spare, and stores the new token", async () => {
      const installation = await installationInEarlyWindow();
      const before = await refreshCounts();
      const token = await getAccessToken(installation.id);
      expect(token).not.toBe(installation.accessToken);
      expect(await isAccepted(token)).toBe(true);
      expect(tokenRequests).toHaveLength(1);
      expect((await stored(installation.id)).accessToken).toBe(token);
      expect(await countedSince(before)).toEqual({ refreshed: 1 });
    });

    it("serves the stored token, asking nothing, when the budget has no slot to spare", async () => {
      await spendTokenSlot(1);
      const installation = await installationInEarlyWindow();
      const before = await refreshCounts();
      // Two callers at once: the second joins the first one's early refresh and shares its outcome.
      const release = await holdRefreshLock(installation.id);
      const first = getAccessToken(installation.id);
      await waitForLockWaiters(1);
      const second = getAccessToken(installation.id);
      await new Promise((resolve) => setTimeout(resolve, 300)); // lets it read its row and join
      await release();
      expect(await Promise.all([first, second])).toEqual([
        installation.accessToken,
        installation.accessToken,
      ]);
      expect(tokenRequests).toHaveLength(0);
      expect(await stored(installation.id)).toMatchObject({
        status: "active",
        accessToken: installation.accessToken,
        refreshToken: installation.refreshToken,
      });
      expect(await countedSince(before)).toEqual({ failed: 1 });
    });

    it.each([
      ["a 503 (unavailable)", { path: "/oauth/token", status: 503, times: 2 }],
      ["a 401 (passed on as OfficeRnD's refusal)", { path: "/oauth/token", status: 401, times: 1 }],
    ])("serves the stored token when the token endpoint answers %s", async (_name, fault) => {
      const installation = await installationInEarlyWindow();
      await emulator.control("/_emulator/faults", fault);
      expect(await getAccessToken(installation.id)).toBe(installation.accessToken);
      expect(await stored(installation.id)).toMatchObject({
        status: "active",
        refreshToken: installation.refreshToken,
      });
    });

    it("returns, without asking, the token another process stored while it waited for the lock", async () => {
      const installation = await installationInEarlyWindow();
      const release = await holdRefreshLock(installation.id);
      const before = await refreshCounts();
      const early = getAccessToken(installation.id);
      await waitForLockWaiters(1);
      // Another process's refresh, under the lock this one waits for.
      const minted = await emulator.control<{ access_token: string }>("/_emulator/tokens", {
        org: "acme-coworking",
        scope: "officernd.api.read officernd.api.write",
      });
      await db.installation.update({
        where: { id: installation.id },
        data: {
          accessTokenEnc: encryptSecret(minted.access_token, `installation:${installation.id}:access`),
          tokenExpiresAt: new Date(Date.now() + 60 * 60_000),
        },
      });
      await release();
      expect(await early).toBe(minted.access_token);
      expect(tokenRequests).toHaveLength(0);
      expect(await countedSince(before)).toEqual({ reused: 1 });
    });

    it("passes on reconnect_required when OfficeRnD refuses the refresh token", async () => {
      const installation = await installationInEarlyWindow();
      await spendRefreshToken(installation.refreshToken);
      expect((await rejection(getAccessToken(installation.id))).code).toBe("reconnect_required");
      expect((await stored(installation.id)).status).toBe("reconnect_required");
    });

    it("a caller who needs a token now does not take the early refresh's missing slot as its answer", async () => {
      await spendTokenSlot(60); // the next slot frees within a second
      const installation = await installationInEarlyWindow();
      // The installation's refresh lock is held, so the early refresh is still running when the forced
      // callers join it.
      const release = await holdRefreshLock(installation.id);
      const before = await refreshCounts();
      const early = getAccessToken(installation.id);
      await waitForLockWaiters(1);
      const urgent = getAccessToken(installation.id, { forceRefresh: true });
      const alsoUrgent = getAccessToken(installation.id, { forceRefresh: true });
      await new Promise((resolve) => setTimeout(resolve, 300)); // lets them read their row and join
      await release();
      const [earlyToken, urgentToken, alsoUrgentToken] = await Promise.all([early, urgent, alsoUrgent]);
      expect(earlyToken).toBe(installation.accessToken);
      expect(urgentToken).not.toBe(installation.accessToken);
      expect(await isAccepted(urgentToken)).toBe(true);
      // The second forced caller joins the first one's refresh instead of running its own.
      expect(alsoUrgentToken).toBe(urgentToken);
      expect(tokenRequests).toHaveLength(1);
      expect(await countedSince(before)).toEqual({ failed: 1, refreshed: 1 });
    }, 30_000);
  });

  it("an installation without a stored access token gets one by refresh, whatever expiry is recorded", async () => {
    const installation = await installationWithTokens({ expiresInMs: 60 * 60_000 });
    await db.installation.update({ where: { id: installation.id }, data: { accessTokenEnc: null } });
    const before = await refreshCounts();
    const token = await getAccessToken(installation.id);
    expect(await isAccepted(token)).toBe(true);
    expect(tokenRequests).toHaveLength(1);
    expect((await stored(installation.id)).accessToken).toBe(token);
    expect(await countedSince(before)).toEqual({ refreshed: 1 });
  });

  it("callers who join a failing refresh share its failure instead of starting their own", async () => {
    const installation = await installationWithTokens({ expiresInMs: -1000 });
    // Both attempts of one refresh (a 503 is retried once) fail; a second refresh would succeed.
    await emulator.control("/_emulator/faults", {
      path: "/oauth/token",
      status: 503,
      latencyMs: 300,
      times: 2,
    });
    const errors = await Promise.all([1, 2, 3].map(() => rejection(getAccessToken(installation.id))));
    expect(errors.map((error) => error.code)).toEqual(["unavailable", "unavailable", "unavailable"]);
    expect(tokenRequests).toHaveLength(2);
  });

  it("refreshes with OFFICERND_HTTP_TIMEOUT_MS at its allowed maximum (the lock's transaction outlasts every attempt)", async () => {
    process.env.OFFICERND_HTTP_TIMEOUT_MS = "120000";
    resetEnvForTests();
    const installation = await installationWithTokens({ expiresInMs: -1000 });
    const token = await getAccessToken(installation.id);
    expect(await isAccepted(token)).toBe(true);
    expect((await stored(installation.id)).accessToken).toBe(token);
  });

  it("a forced caller does not take the token it saw rejected from a refresh it joined", async () => {
    const installation = await installationWithTokens({ expiresInMs: 30 * 60_000 });
    const release = await holdRefreshLock(installation.id);
    // Rejected an older token: under the lock it finds the stored one and returns it, asking nothing.
    const first = getAccessToken(installation.id, { forceRefresh: true, rejectedToken: "an-older-token" });
    await waitForLockWaiters(1);
    // Rejected the stored one: joins the first, gets back the token it rejected, so refreshes itself.
    const second = getAccessToken(installation.id, {
      forceRefresh: true,
      rejectedToken: installation.accessToken,
    });
    await new Promise((resolve) => setTimeout(resolve, 300)); // lets it read its row and join
    await release();
    const [firstToken, secondToken] = await Promise.all([first, second]);
    expect(firstToken).toBe(installation.accessToken);
    expect(secondToken).not.toBe(installation.accessToken);
    expect(await isAccepted(secondToken)).toBe(true);
    expect(tokenRequests).toHaveLength(1);
  });

  it("a due refresh that waits longer than Prisma's default 5 s transaction for a budget slot still succeeds", async () => {
    await spendTokenSlot(10); // the next slot frees in 6 s
    const installation = await installationWithTokens({ expiresInMs: -1000 });
    const token = await getAccessToken(installation.id);
    expect(await isAccepted(token)).toBe(true);
    expect((await stored(installation.id)).accessToken).toBe(token);
  }, 30_000);

  describe("a forced refresh whose rejected token is no longer the stored one", () => {
    it("returns the stored token while it has more than 5 minutes left, even inside its early window", async () => {
      const installation = await installationInEarlyWindow();
      const before = await refreshCounts();
      expect(
        await getAccessToken(installation.id, { forceRefresh: true, rejectedToken: "an-older-token" }),
      ).toBe(installation.accessToken);
      expect(tokenRequests).toHaveLength(0);
      expect(await countedSince(before)).toEqual({ reused: 1 });
    });

    it("refreshes the stored token when it has 5 minutes or less left", async () => {
      const installation = await installationWithTokens({ expiresInMs: 3 * 60_000 });
      const token = await getAccessToken(installation.id, {
        forceRefresh: true,
        rejectedToken: "an-older-token",
      });
      expect(token).not.toBe(installation.accessToken);
      expect(tokenRequests).toHaveLength(1);
    });
  });

  it("an installation without a stored refresh token needs reconnecting, audited, without a token request", async () => {
    const installation = await installationWithTokens({ expiresInMs: -1000 });
    await db.installation.update({ where: { id: installation.id }, data: { refreshTokenEnc: null } });
    const before = await refreshCounts();
    const error = await rejection(getAccessToken(installation.id));
    expect([error.code, error.message]).toEqual(["reconnect_required", RECONNECT_MESSAGE]);
    expect(tokenRequests).toHaveLength(0);
    expect((await db.installation.findUniqueOrThrow({ where: { id: installation.id } })).status).toBe(
      "reconnect_required",
    );
    expect(await db.auditEvent.findMany({ where: { installationId: installation.id } })).toEqual([
      expect.objectContaining({
        accountId,
        action: "installation.reconnect_required",
        after: { status: "reconnect_required", why: "no refresh token stored" },
      }),
    ]);
    expect(await countedSince(before)).toEqual({ reconnect_required: 1 });
  });

  it("repeats the installation's granted scope in the refresh and stores the scope OfficeRnD answers", async () => {
    const installation = await installationWithTokens({ expiresInMs: -1000 });
    await db.installation.update({
      where: { id: installation.id },
      data: { tokenScope: "officernd.api.read" },
    });
    await getAccessToken(installation.id);
    expect(tokenRequests.map((request) => request.get("scope"))).toEqual(["officernd.api.read"]);
    expect((await db.installation.findUniqueOrThrow({ where: { id: installation.id } })).tokenScope).toBe(
      "officernd.api.read",
    );
  });

  it("keeps the stored refresh token and scope when OfficeRnD's answer carries neither", async () => {
    const installation = await installationWithTokens({ expiresInMs: -1000 });
    await emulator.control("/_emulator/faults", {
      path: "/oauth/token",
      status: 200,
      body: { access_token: "access-without-rotation", token_type: "Bearer", expires_in: 3600 },
      times: 1,
    });
    expect(await getAccessToken(installation.id)).toBe("access-without-rotation");
    expect(await stored(installation.id)).toMatchObject({
      accessToken: "access-without-rotation",
      refreshToken: installation.refreshToken,
    });
    expect((await db.installation.findUniqueOrThrow({ where: { id: installation.id } })).tokenScope).toBe(
      "officernd.api.read officernd.api.write",
    );
  });

  it.each([
    ["rejected", { path: "/oauth/token", status: 400, body: { error: "invalid_client" }, times: 1 }],
    ["invalid_response", { path: "/oauth/token", garbage: true, times: 3 }],
    ["unauthorized", { path: "/oauth/token", status: 401, times: 1 }],
    ["forbidden", { path: "/oauth/token", status: 403, times: 1 }],
    ["not_found", { path: "/oauth/token", status: 404, times: 1 }],
  ])(
    "a refusal it cannot wait out (%s) is passed on as OfficeRnD's error, the installation left active",
    async (reason, fault) => {
      const installation = await installationWithTokens({ expiresInMs: -1000 });
      await emulator.control("/_emulator/faults", fault);
      const before = await refreshCounts();
      const error = await rejection(getAccessToken(installation.id));
      expect(error).toBeInstanceOf(OfficeRndError);
      expect((error as OfficeRndError).reason).toBe(reason);
      expect((await stored(installation.id)).status).toBe("active");
      expect(await countedSince(before)).toEqual({ failed: 1 });
    },
  );
});

/** officernd_token_refreshes_total by outcome, as /api/metrics would show it. */
async function refreshCounts(): Promise<Record<string, number>> {
  const { values } = await metrics.tokenRefreshes.get();
  return Object.fromEntries(values.map((value) => [String(value.labels.outcome), value.value]));
}
async function countedSince(before: Record<string, number>): Promise<Record<string, number>> {
  const after = await refreshCounts();
  return Object.fromEntries(
    Object.entries(after)
      .map(([outcome, count]) => [outcome, count - (before[outcome] ?? 0)] as const)
      .filter(([, delta]) => delta !== 0),
  );
}

/** Holds the installation's refresh lock, as another process's refresh would, until the returned release. */
async function holdRefreshLock(installationId: string): Promise<() => Promise<void>> {
  let release = () => {};
  const released = new Promise<void>((resolve) => (release = resolve));
  let signalLocked = () => {};
  const locked = new Promise<void>((resolve) => (signalLocked = resolve));
  const holder = db.$transaction(
    async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`officernd-token:${installationId}`}))`;
      signalLocked();
      await released;
    },
    { timeout: 30_000 },
  );
  await locked;
  return async () => {
    release();
    await holder;
  };
}

/** Spends a refresh token elsewhere (OfficeRnD rotates it), so ours is refused as invalid_grant. */
async function spendRefreshToken(refreshToken: string) {
  await realFetch(`${emulator.url}/oauth/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "refresh_token",
      refresh_token: refreshToken,
      client_id: "demo-partner-app",
      client_secret: "demo-partner-secret",
    }),
  });
}

/** Until this many sessions wait for an advisory lock (the refresh lock held above). */
async function waitForLockWaiters(count: number) {
  for (let attempt = 0; attempt < 200; attempt++) {
    const [row] = await db.$queryRaw<{ waiting: number }[]>`
      SELECT count(*)::int AS waiting FROM pg_locks WHERE locktype = 'advisory' AND NOT granted`;
    if ((row?.waiting ?? 0) >= count) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`no ${count} waiter(s) on the advisory lock`);
}
