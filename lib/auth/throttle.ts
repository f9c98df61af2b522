import "server-only";
import { createHash } from "node:crypto";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { clientIpFrom } from "@/lib/net/client-ip";

// Sign-in and sign-up limits, in RateLimitBucket so every app instance sees the same counts. Failures
// count per (email, client address), never per email alone, so hammering an account from one address does
// not lock its owner out elsewhere (issue 12 item 4); past FREE_FAILURES the pair waits 30 s, 1, 2, 4 … 15
// min. One address is also limited across emails, generously: offices share an address behind NAT.

export type Limit = { max: number; windowMs: number };

export const LOGIN_PAIR_WINDOW_MS = 60 * 60_000;
export const LOGIN_FREE_FAILURES = 4;
export const LOGIN_IP_LIMIT: Limit = { max: 50, windowMs: 15 * 60_000 };
export const SIGN_UP_IP_LIMIT: Limit = { max: 10, windowMs: 60 * 60_000 };
const FIRST_DELAY_MS = 30_000;
const MAX_DELAY_MS = 15 * 60_000;

/** How long a pair waits after its `failures`-th failure (0 while the failures are free). */
export function loginDelayMs(failures: number): number {
  if (failures <= LOGIN_FREE_FAILURES) return 0;
  return Math.min(MAX_DELAY_MS, FIRST_DELAY_MS * 2 ** (failures - LOGIN_FREE_FAILURES - 1));
}

/** Bucket keys never hold an email or an address in clear text. */
function digest(value: string): string {
  return createHash("sha256").update(value).digest("hex").slice(0, 32);
}

export const loginKeys = ({ email, ip }: { email: string; ip: string | null }) => {
  const pair = digest(`${email.trim().toLowerCase()}|${ip ?? "unknown"}`);
  return {
    failures: `login:pair:${pair}`,
    wait: `login:wait:${pair}`,
    ip: ip ? `login:ip:${digest(ip)}` : null,
  };
};

/** Seconds until the bucket's window ends while it has used up `limit`, else 0. */
export async function limitedForSeconds(key: string, limit: Limit, now = new Date()): Promise<number> {
  const bucket = await db.rateLimitBucket.findUnique({
    where: { key },
    select: { count: true, resetAt: true },
  });
  if (!bucket || bucket.resetAt <= now || bucket.count < limit.max) return 0;
  return Math.max(1, Math.ceil((bucket.resetAt.getTime() - now.getTime()) / 1000));
}

export async function isLimited(key: string, limit: Limit, now = new Date()): Promise<boolean> {
  return (await limitedForSeconds(key, limit, now)) > 0;
}

/** Counts one hit atomically: a bucket whose window has passed starts over at 1. */
export async function hit(key: string, limit: Limit, now = new Date()): Promise<number> {
  // Prisma keeps DateTime as UTC in "timestamp without time zone"; pass UTC text so the session
  // time zone can never shift the comparison.
  const nowUtc = now.toISOString();
  const resetAt = new Date(now.getTime() + limit.windowMs).toISOString();
  const rows = await db.$queryRaw<{ count: number }[]>`
    INSERT INTO "RateLimitBucket" ("key", "count", "resetAt") VALUES (${key}, 1, ${resetAt}::timestamp(3))
    ON CONFLICT ("key") DO UPDATE SET
      "count" = CASE WHEN "RateLimitBucket"."resetAt" <= ${nowUtc}::timestamp(3) THEN 1 ELSE "RateLimitBucket"."count" + 1 END,
      "resetAt" = CASE WHEN "RateLimitBucket"."resetAt" <= ${nowUtc}::timestamp(3) THEN ${resetAt}::timestamp(3) ELSE "RateLimitBucket"."resetAt" END
    RETURNING "count"`;
  return rows[0]?.count ?? 1;
}

async function waitUntil(key: string, until: Date): Promise<void> {
  await db.rateLimitBucket.upsert({
    where: { key },
    create: { key, count: 1, resetAt: until },
    update: { count: 1, resetAt: until },
  });
}

export async function clear(key: string): Promise<void> {
  await db.rateLimitBucket.deleteMany({ where: { key } });
}

export const signUpKey = (ip: string) => `signup:ip:${digest(ip)}`;

/** Seconds this (email, address) must wait before its next sign-in attempt; 0 when it may try now. */
export async function loginWaitSeconds(
  input: { email: string; ip: string | null },
  now = new Date(),
): Promise<number> {
  const keys = loginKeys(input);
  const [pair, byIp] = await Promise.all([
    limitedForSeconds(keys.wait, { max: 1, windowMs: 0 }, now),
    keys.ip ? limitedForSeconds(keys.ip, LOGIN_IP_LIMIT, now) : 0,
  ]);
  return Math.max(pair, byIp);
}

/** Counts a failure of the pair (and of the address) and starts the pair's wait once it is due. */
export async function recordLoginFailure(
  input: { email: string; ip: string | null },
  now = new Date(),
): Promise<void> {
  const keys = loginKeys(input);
  const [failures] = await Promise.all([
    hit(keys.failures, { max: Infinity, windowMs: LOGIN_PAIR_WINDOW_MS }, now),
    keys.ip ? hit(keys.ip, LOGIN_IP_LIMIT, now) : undefined,
  ]);
  const delay = loginDelayMs(failures);
  if (delay > 0) await waitUntil(keys.wait, new Date(now.getTime() + delay));
}

/** A successful sign-in forgives the pair's failures (not the address's: others share it). */
export async function recordLoginSuccess(input: { email: string; ip: string | null }): Promise<void> {
  const keys = loginKeys(input);
  await db.rateLimitBucket.deleteMany({ where: { key: { in: [keys.failures, keys.wait] } } });
}

/**
 * The address every limit is keyed by: the connection's, or with TRUSTED_PROXY_HOPS=N the Nth
 * X-Forwarded-For entry from the right. Null when unknown (a handler called outside an HTTP server).
 */
export function clientIp(headers: Parameters<typeof clientIpFrom>[0]): string | null {
  return clientIpFrom(headers, env().TRUSTED_PROXY_HOPS);
}
