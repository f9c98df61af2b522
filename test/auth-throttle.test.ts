// Sign-in throttling: 5 failures per email (20 per IP) within 15 minutes refuse every attempt, even
// with the right password, until the window passes; the caller cannot tell throttled from wrong.
import { beforeEach, describe, expect, it } from "vitest";
import { authenticate } from "@/lib/auth/options";
import { hit, isLimited, LOGIN_EMAIL_LIMIT, LOGIN_IP_LIMIT, loginKeys, clientIp } from "@/lib/auth/throttle";
import { db } from "@/lib/db";
import { createUserWithAccount, randomHex } from "./support/factories";

let user: Awaited<ReturnType<typeof createUserWithAccount>>;
const ip = () => `10.0.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;

beforeEach(async () => {
  user = await createUserWithAccount();
});

const signIn = (email: string, password: string, from: string | null) => authenticate({ email, password }, { ip: from });

async function failTimes(count: number, email: string, from: string | null) {
  for (let index = 0; index < count; index++) expect(await signIn(email, `wrong-${index}`, from)).toBeNull();
}

/** Moves a bucket's window into the past, as if 15 minutes had gone by. */
async function expire(key: string) {
  await db.rateLimitBucket.update({ where: { key }, data: { resetAt: new Date(Date.now() - 1000) } });
}

describe("per email", () => {
  it("the right password works after 4 failures", async () => {
    await failTimes(4, user.user.email, ip());
    expect(await signIn(user.user.email, user.password, ip())).toMatchObject({ id: user.user.id });
  });

  it("after 5 failures even the right password is refused, from any address", async () => {
    await failTimes(5, user.user.email, ip());
    expect(await signIn(user.user.email, user.password, ip())).toBeNull();
    expect(await signIn(user.user.email.toUpperCase(), user.password, null)).toBeNull();
  });

  it("once the 15-minute window has passed, the right password works again", async () => {
    await failTimes(5, user.user.email, ip());
    await expire(loginKeys({ email: user.user.email, ip: null }).email);
    expect(await signIn(user.user.email, user.password, ip())).toMatchObject({ id: user.user.id });
  });

  it("a success forgives earlier failures of that email", async () => {
    await failTimes(4, user.user.email, ip());
    await signIn(user.user.email, user.password, ip());
    await failTimes(4, user.user.email, ip());
    expect(await signIn(user.user.email, user.password, ip())).toMatchObject({ id: user.user.id });
  });

  it("unknown emails are counted the same way, so throttling reveals nothing about who exists", async () => {
    const stranger = `nobody-${randomHex(4)}@example.com`;
    await failTimes(5, stranger, ip());
    expect(await isLimited(loginKeys({ email: stranger, ip: null }).email, LOGIN_EMAIL_LIMIT)).toBe(true);
  });

  it("stores no email in clear text", async () => {
    await failTimes(1, user.user.email, "192.0.2.1");
    const keys = (await db.rateLimitBucket.findMany()).map((bucket) => bucket.key).join(" ");
    expect(keys).not.toContain(user.user.email);
    expect(keys).not.toContain("192.0.2.1");
  });
});

describe("per IP", () => {
  it("20 failures from one address, across emails, refuse that address — other addresses still sign in", async () => {
    const from = ip();
    for (let index = 0; index < LOGIN_IP_LIMIT.max; index++) await signIn(`guess-${index}-${randomHex(2)}@example.com`, "guess", from);
    expect(await signIn(user.user.email, user.password, from)).toBeNull();
    expect(await signIn(user.user.email, user.password, ip())).toMatchObject({ id: user.user.id });
  });
});

describe("the counter", () => {
  it("counts atomically under concurrency", async () => {
    const key = `test:${randomHex()}`;
    const counts = await Promise.all(Array.from({ length: 12 }, () => hit(key, LOGIN_EMAIL_LIMIT)));
    expect(counts.sort((a, b) => a - b)).toEqual(Array.from({ length: 12 }, (_, index) => index + 1));
  });

  it("restarts at 1 after the window", async () => {
    const key = `test:${randomHex()}`;
    await hit(key, LOGIN_EMAIL_LIMIT);
    await hit(key, LOGIN_EMAIL_LIMIT);
    await expire(key);
    expect(await hit(key, LOGIN_EMAIL_LIMIT)).toBe(1);
  });
});

describe("clientIp", () => {
  it.each([
    [{ "x-forwarded-for": "203.0.113.9, 10.0.0.1" }, "203.0.113.9"],
    [{ "x-real-ip": "198.51.100.4" }, "198.51.100.4"],
    [{}, null],
  ])("reads %j as %s", (headers, expected) => {
    expect(clientIp(headers)).toBe(expected);
    expect(clientIp(new Headers(headers))).toBe(expected);
  });
});
