import "server-only";
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { z } from "zod";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { getDecoyHash, verifyPassword } from "@/lib/auth/password";
import { clientIp, loginWaitSeconds, recordLoginFailure, recordLoginSuccess } from "@/lib/auth/throttle";
import { log } from "@/lib/log";

const credentialsSchema = z.object({ email: z.email().max(320), password: z.string().min(1).max(1024) });

export type SessionUserRecord = { id: string; email: string; name: string };
export type AuthenticateResult =
  | { ok: true; user: SessionUserRecord }
  | { ok: false; reason: "invalid" }
  | { ok: false; reason: "throttled"; retryAfterSeconds: number };

/** The error next-auth reports to the sign-in form for a throttled attempt: `throttled:<seconds>`. */
export const THROTTLED_ERROR_PREFIX = "throttled:";

/**
 * Checks credentials. The caller never learns which part was wrong; a pair of (email, address) that
 * failed too often must wait (the same for unknown emails, so waiting reveals nothing about who exists).
 */
export async function authenticate(
  raw: unknown,
  context: { ip?: string | null } = {},
): Promise<AuthenticateResult> {
  const parsed = credentialsSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, reason: "invalid" };
  const email = parsed.data.email.toLowerCase();
  const ip = context.ip ?? null;
  const waitSeconds = await loginWaitSeconds({ email, ip });
  if (waitSeconds > 0) {
    log.warn({ ip, waitSeconds }, "sign-in refused: too many failures");
    return { ok: false, reason: "throttled", retryAfterSeconds: waitSeconds };
  }
  const user = await db.user.findUnique({
    where: { email },
    select: { id: true, email: true, name: true, passwordHash: true },
  });
  const isValid = await verifyPassword(user?.passwordHash ?? (await getDecoyHash()), parsed.data.password);
  if (!user || !isValid) {
    await recordLoginFailure({ email, ip });
    return { ok: false, reason: "invalid" };
  }
  await recordLoginSuccess({ email, ip });
  return { ok: true, user: { id: user.id, email: user.email, name: user.name } };
}

/** next-auth's authorize: a user, null for wrong credentials, a thrown `throttled:<seconds>` to wait. */
async function authorize(credentials: unknown, ip: string | null): Promise<SessionUserRecord | null> {
  const result = await authenticate(credentials, { ip });
  if (result.ok) return result.user;
  if (result.reason === "throttled") throw new Error(`${THROTTLED_ERROR_PREFIX}${result.retryAfterSeconds}`);
  return null;
}

let cached: NextAuthOptions | undefined;

export function authOptions(): NextAuthOptions {
  cached ??= {
    secret: env().NEXTAUTH_SECRET,
    session: { strategy: "jwt", maxAge: 12 * 60 * 60 },
    // Our own pages: no unbranded next-auth screens (sign-out asks nothing; errors land on sign-in).
    pages: { signIn: "/signin", signOut: "/signout", error: "/signin" },
    useSecureCookies: env().APP_URL.startsWith("https://"),
    providers: [
      CredentialsProvider({
        name: "Email and password",
        credentials: {
          email: { label: "Email", type: "email" },
          password: { label: "Password", type: "password" },
        },
        authorize: (credentials, request) => authorize(credentials, clientIp(request?.headers)),
      }),
    ],
    callbacks: {
      jwt({ token, user }) {
        if (user) token.sub = user.id;
        return token;
      },
      session({ session, token }) {
        if (session.user && token.sub) (session.user as { id?: string }).id = token.sub;
        return session;
      },
    },
  };
  return cached;
}
