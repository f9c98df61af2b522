// OfficeRnD's token endpoint admits about 5 requests a minute per client; our budget for it lives in
// Postgres and is shared by every instance and worker. An anonymous flood of GET /connect with made-up
// codes must not use it up: exchanges are limited per client IP, nothing is stored for a failed one,
// and a token refresh due now goes first in line. Real Postgres, the real emulator over HTTP.
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { GET } from "@/app/connect/route";
import { decryptSecret } from "@/lib/crypto/secrets";
import { db } from "@/lib/db";
import { resetEnvForTests } from "@/lib/env";
import { getAccessToken } from "@/lib/officernd/tokens";
import { takeTokenSlot } from "@/lib/officernd/token-budget";
import { isOfficeRndError } from "@/lib/officernd/upstream-failures";
import { APP_URL, startConnectEmulator } from "./connect-helpers";
import type { EmulatorProcess } from "./support/emulator";
import { createInstallation, createUserWithAccount } from "./support/factories";

let emulator: EmulatorProcess;
const realFetch = globalThis.fetch;
/** grant_type of every request this process sent to the token endpoint. */
let tokenRequests: string[] = [];

beforeAll(async () => {
  emulator = await startConnectEmulator();
  vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    if (url.endsWith("/oauth/token"))
      tokenRequests.push(new URLSearchParams(String(init?.body ?? "")).get("grant_type") ?? "?");
    return realFetch(input, init);
  });
});
afterAll(async () => {
  vi.restoreAllMocks();
  delete process.env.OFFICERND_TOKEN_REQUESTS_PER_MINUTE;
  delete process.env.CONNECT_CODE_EXCHANGES_PER_IP_PER_MINUTE;
  resetEnvForTests();
  await emulator?.stop();
});
beforeEach(async () => {
  tokenRequests = [];
  await db.rateLimitBucket.deleteMany({});
  process.env.OFFICERND_TOKEN_REQUESTS_PER_MINUTE = "5";
  process.env.CONNECT_CODE_EXCHANGES_PER_IP_PER_MINUTE = "3";
  resetEnvForTests();
});

async function installationDueForRefresh() {
  const minted = await emulator.control<{ access_token: string; refresh_token: string }>(
    "/_emulator/tokens",
    {
      org: "acme-coworking",
      scope: "officernd.api.read officernd.api.write",
    },
  );
  const { account } = await createUserWithAccount();
  const { installation } = await createInstallation({
    accountId: account.id,
    orgSlug: "acme-coworking",
    regionUrl: emulator.url,
    accessToken: minted.access_token,
    refreshToken: minted.refresh_token,
    tokenExpiresAt: new Date(Date.now() - 1000),
  });
  return { id: installation.id, accessToken: minted.access_token };
}

const madeUp = (index: number) =>
  new Request(
    `${APP_URL}/connect?code=made-up-${index}&org_slug=acme-coworking&locations=&integrationId=${"f".repeat(24)}`,
    {
      headers: { "x-forwarded-for": "203.0.113.9" },
    },
  );

describe("a made-up-code flood on /connect", () => {
  it("leaves refreshes working: at most 3 exchanges per IP reach OfficeRnD, nothing is stored, the due refresh gets its slot", async () => {
    const installation = await installationDueForRefresh();
    const flood = Promise.all(Array.from({ length: 12 }, (_, index) => GET(madeUp(index))));
    const refreshed = getAccessToken(installation.id);
    const [responses, token] = await Promise.all([flood, refreshed]);

    expect(token).not.toBe(installation.accessToken);
    const row = await db.installation.findUniqueOrThrow({ where: { id: installation.id } });
    expect(decryptSecret(row.accessTokenEnc!, `installation:${installation.id}:access`)).toBe(token);
    expect(row.status).toBe("active");

    // The flood: never more than the per-IP allowance at OfficeRnD's token endpoint, and no pending rows.
    expect(tokenRequests.filter((grant) => grant === "authorization_code").length).toBeLessThanOrEqual(3);
    expect(tokenRequests.filter((grant) => grant === "refresh_token")).toHaveLength(1);
    expect(await db.pendingConnection.count()).toBe(0);
    const reasons = responses.map((response) =>
      new URL(response.headers.get("location")!).searchParams.get("reason"),
    );
    expect(reasons.filter((reason) => reason === "too_many_attempts")).toHaveLength(9);
    expect(
      reasons.every((reason) =>
        ["too_many_attempts", "code_rejected", "officernd_busy"].includes(reason ?? ""),
      ),
    ).toBe(true);
    const refused = responses.find((response) =>
      response.headers.get("location")!.includes("too_many_attempts"),
    )!;
    expect(new URL(refused.headers.get("location")!).searchParams.get("retryAfter")).toBe("60");
  }, 90_000);
});

describe("the token budget's order", () => {
  it("gives a freed slot to a due refresh before a code exchange, and an early refresh takes only a spare slot", async () => {
    process.env.OFFICERND_TOKEN_REQUESTS_PER_MINUTE = "60"; // one slot a second
    resetEnvForTests();
    const clientId = `order-${Date.now()}`;
    await takeTokenSlot({ clientId, perMinute: 60, priority: "urgent", maxWaitMs: 0 });
    // The budget is spent for the next second: an early refresh does not wait for it.
    const early = await takeTokenSlot({
      clientId,
      perMinute: 60,
      priority: "early",
      maxWaitMs: 10_000,
    }).catch((error: unknown) => error);
    expect(isOfficeRndError(early, "busy")).toBe(true);
    const order: string[] = [];
    const code = takeTokenSlot({ clientId, perMinute: 60, priority: "code", maxWaitMs: 10_000 }).then(() =>
      order.push("code"),
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    const urgent = takeTokenSlot({ clientId, perMinute: 60, priority: "urgent", maxWaitMs: 10_000 }).then(
      () => order.push("urgent"),
    );
    await Promise.all([code, urgent]);
    expect(order).toEqual(["urgent", "code"]);
  }, 30_000);

  it("a code exchange that finds no slot in time is refused with the wait, as 'OfficeRnD is busy, try again in N s'", async () => {
    const clientId = `busy-${Date.now()}`;
    await takeTokenSlot({ clientId, perMinute: 1, priority: "urgent", maxWaitMs: 0 });
    const error = await takeTokenSlot({ clientId, perMinute: 1, priority: "code", maxWaitMs: 300 }).catch(
      (caught: unknown) => caught,
    );
    expect(isOfficeRndError(error, "busy")).toBe(true);
    const { failureText } = await import("@/lib/connect/failures");
    const seconds = Math.ceil((error as { retryAfterMs: number }).retryAfterMs / 1000);
    expect(seconds).toBeGreaterThan(1);
    expect(seconds).toBeLessThanOrEqual(60);
    expect(failureText("officernd_busy", seconds).title).toBe(`OfficeRnD is busy, try again in ${seconds} s`);
  });
});
