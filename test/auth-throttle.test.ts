// Sign-in throttling (issue 12, item 4): failures count per (email, client address). A pair that
// failed too often waits, longer after each further failure; the account's owner signing in from
// another address is never held up by someone hammering it. Time passing is simulated by moving a
// bucket's window into the past, never by waiting.
import { beforeEach, describe, expect, it } from "vitest";
import { authenticate } from "@/lib/auth/options";
import {
  clientIp,
  hit,
  LOGIN_FREE_FAILURES,
  LOGIN_IP_LIMIT,
  loginDelayMs,
  loginKeys,
} from "@/lib/auth/throttle";
import { db } from "@/lib/db";
import { CONNECTION_IP_HEADER } from "@/lib/net/client-ip";
import { createUserWithAccount, randomHex } from "./support/factories";

let user: Awaited<ReturnType<typeof createUserWithAccount>>;
const ip = () =>
  `10.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;

beforeEach(async () => {
  user = await createUserWithAccount();
});

const signIn = (email: string, password: string, from: string | null) =>
  authenticate({ email, password }, { ip: from });

async function failTimes(count: number, email: string, from: string | null) {
  for (let index = 0; index < count; index++)
    expect(await signIn(email, `wrong-${index}`, from)).toMatchObject({ ok: false });
}

/** As if the pair's wait had passed. */
async function waitPasses(email: string, from: string | null) {
  await db.rateLimitBucket.updateMany({
    where: { key: loginKeys({ email, ip: from }).wait },
    data: { resetAt: new Date(Date.now() - 1000) },
  });
}

describe("per (email, address)", () => {
  it(`the right password works after ${LOGIN_FREE_FAILURES} failures from the same address`, async () => {
    const from = ip();
    await failTimes(LOGIN_FREE_FAILURES, user.user.email, from);
    expect(await signIn(user.user.email, user.password, from)).toMatchObject({
      ok: true,
      user: { id: user.user.id },
    });
  });

  it("one more failure makes that pair wait, even with the right password, and says for how long", async () => {
    const from = ip();
    await failTimes(LOGIN_FREE_FAILURES + 1, user.user.email, from);
    expect(await signIn(user.user.email, user.password, from)).toEqual({
      ok: false,
      reason: "throttled",
      retryAfterSeconds: 30,
    });
    expect(await signIn(user.user.email.toUpperCase(), user.password, from)).toMatchObject({
      reason: "throttled",
    });
  });

  it("the right password from another address signs in while someone hammers the account", async () => {
    const attacker = ip();
    // Forty attempts, the attacker's waits passing in between: a hard lock-out would have long begun.
    for (let round = 0; round < 40; round++) {
      await signIn(user.user.email, `guess-${round}`, attacker);
      await waitPasses(user.user.email, attacker);
    }
    expect(await signIn(user.user.email, `guess-last`, attacker)).toMatchObject({ ok: false });
    expect(await signIn(user.user.email, user.password, attacker)).toMatchObject({
      ok: false,
      reason: "throttled",
    });
    expect(await signIn(user.user.email, user.password, ip())).toMatchObject({
      ok: true,
      user: { id: user.user.id },
    });
  });

  it("each further failure doubles the wait (30 s, 1 min, 2 min, …) up to 15 minutes", async () => {
    const from = ip();
    await failTimes(LOGIN_FREE_FAILURES, user.user.email, from);
    const waits: number[] = [];
    for (let round = 0; round < 8; round++) {
      await failTimes(1, user.user.email, from);
      const refused = await signIn(user.user.email, user.password, from);
      waits.push(refused.ok || refused.reason !== "throttled" ? 0 : refused.retryAfterSeconds);
      await waitPasses(user.user.email, from);
    }
    expect(waits).toEqual([30, 60, 120, 240, 480, 900, 900, 900]);
    expect([1, 4, 5, 6, 20].map(loginDelayMs)).toEqual([0, 0, 30_000, 60_000, 900_000]);
  });

  it("refused attempts while waiting are not counted, and once the wait passes the right password works and forgives", async () => {
    const from = ip();
    await failTimes(LOGIN_FREE_FAILURES + 1, user.user.email, from);
    for (let index = 0; index < 10; index++) await signIn(user.user.email, "still guessing", from);
    await waitPasses(user.user.email, from);
    expect(await signIn(user.user.email, user.password, from)).toMatchObject({ ok: true });
    await failTimes(LOGIN_FREE_FAILURES, user.user.email, from);
    expect(await signIn(user.user.email, user.password, from)).toMatchObject({ ok: true });
  });

  it("unknown emails wait the same way, so waiting reveals nothing about who exists", async () => {
    const stranger = `nobody-${randomHex(4)}@example.com`;
    const from = ip();
    await failTimes(LOGIN_FREE_FAILURES + 1, stranger, from);
    expect(await signIn(stranger, "anything", from)).toEqual({
      ok: false,
      reason: "throttled",
      retryAfterSeconds: 30,
    });
  });

  it("stores no email or address in clear text", async () => {
    await failTimes(1, user.user.email, "192.0.2.1");
    const keys = (await db.rateLimitBucket.findMany()).map((bucket) => bucket.key).join(" ");
    expect(keys).not.toContain(user.user.email);
    expect(keys).not.toContain("192.0.2.1");
  });
});

describe("per address", () => {
  it(`${LOGIN_IP_LIMIT.max} failures from one address, across emails, refuse that address — other addresses still sign in`, async () => {
    const from = ip();
    for (let index = 0; index < LOGIN_IP_LIMIT.max; index++)
      await signIn(`guess-${index}-${randomHex(2)}@example.com`, "guess", from);
    expect(await signIn(user.user.email, user.password, from)).toMatchObject({
      ok: false,
      reason: "throttled",
    });
    expect(await signIn(user.user.email, user.password, ip())).toMatchObject({ ok: true });
  });
});

describe("the counter", () => {
  const limit = { max: 5, windowMs: 60_000 };
  it("counts atomically under concurrency", async () => {
    const key = `test:${randomHex()}`;
    const counts = await Promise.all(Array.from({ length: 12 }, () => hit(key, limit)));
    expect(counts.sort((a, b) => a - b)).toEqual(Array.from({ length: 12 }, (_, index) => index + 1));
  });

  it("restarts at 1 after the window", async () => {
    const key = `test:${randomHex()}`;
    await hit(key, limit);
    await hit(key, limit);
    await db.rateLimitBucket.update({ where: { key }, data: { resetAt: new Date(Date.now() - 1000) } });
    expect(await hit(key, limit)).toBe(1);
  });
});

describe("clientIp", () => {
  it("by default (TRUSTED_PROXY_HOPS=0) ignores X-Forwarded-For and X-Real-IP and reads the connection's address", () => {
    const headers = {
      "x-forwarded-for": "203.0.113.9, 10.0.0.1",
      "x-real-ip": "198.51.100.4",
      [CONNECTION_IP_HEADER]: "192.0.2.33",
    };
    expect(clientIp(headers)).toBe("192.0.2.33");
    expect(clientIp(new Headers(headers))).toBe("192.0.2.33");
    expect(clientIp({ "x-forwarded-for": "203.0.113.9" })).toBeNull();
  });
});
