import "server-only";
import { createHash } from "node:crypto";
import { db } from "@/lib/db";

// Fixed-window counters in the RateLimitBucket table, so every app instance sees the same counts.
// Sign-in: after 5 failures for an email (or 20 from one IP, which offices share behind NAT) within
// 15 minutes, every attempt is refused, even with the right password, until the window ends.

export type Limit = { max: number; windowMs: number };

export const LOGIN_EMAIL_LIMIT: Limit = { max: 5, windowMs: 15 * 60_000 };
export const LOGIN_IP_LIMIT: Limit = { max: 20, windowMs: 15 * 60_000 };
export const SIGN_UP_IP_LIMIT: Limit = { max: 10, windowMs: 60 * 60_000 };

/** Bucket keys never hold an email in clear text. */
function digest(value: string): string {
  return createHash("sha256").update(value).digest("hex").slice(0, 32);
}

export const loginKeys = ({ email, ip }: { email: string; ip: string | null }) => ({
  email: `login:email:${digest(email.trim().toLowerCase())}`,
  ip: ip ? `login:ip:${digest(ip)}` : null,
});

/** True while the bucket has used up its window. */
export async function isLimited(key: string, limit: Limit, now = new Date()): Promise<boolean> {
  const bucket = await db.rateLimitBucket.findUnique({ where: { key }, select: { count: true, resetAt: true } });
  return bucket !== null && bucket.resetAt > now && bucket.count >= limit.max;
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

export async function clear(key: string): Promise<void> {
  await db.rateLimitBucket.deleteMany({ where: { key } });
}

export const signUpKey = (ip: string) => `signup:ip:${digest(ip)}`;

/** Is sign-in for this email or from this IP refused right now? */
export async function isLoginThrottled(input: { email: string; ip: string | null }, now = new Date()): Promise<boolean> {
  const keys = loginKeys(input);
  const [byEmail, byIp] = await Promise.all([isLimited(keys.email, LOGIN_EMAIL_LIMIT, now), keys.ip ? isLimited(keys.ip, LOGIN_IP_LIMIT, now) : false]);
  return byEmail || byIp;
}

export async function recordLoginFailure(input: { email: string; ip: string | null }, now = new Date()): Promise<void> {
  const keys = loginKeys(input);
  await Promise.all([hit(keys.email, LOGIN_EMAIL_LIMIT, now), keys.ip ? hit(keys.ip, LOGIN_IP_LIMIT, now) : undefined]);
}

/** A successful sign-in forgives the email's earlier failures (not the IP's: others share it). */
export async function recordLoginSuccess(input: { email: string }): Promise<void> {
  await clear(loginKeys({ email: input.email, ip: null }).email);
}

/** The client's address as the nearest proxy reports it; null when unknown. */
export function clientIp(headers: { get(name: string): string | null } | Record<string, unknown> | undefined): string | null {
  if (!headers) return null;
  const read = (name: string): string | null => {
    if (typeof (headers as { get?: unknown }).get === "function") return (headers as { get(name: string): string | null }).get(name);
    const value = (headers as Record<string, unknown>)[name];
    return typeof value === "string" ? value : Array.isArray(value) && typeof value[0] === "string" ? value[0] : null;
  };
  const forwarded = read("x-forwarded-for")?.split(",")[0]?.trim();
  return forwarded || read("x-real-ip")?.trim() || null;
}
