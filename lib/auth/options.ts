import "server-only";
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { z } from "zod";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { getDecoyHash, verifyPassword } from "@/lib/auth/password";
import { clientIp, isLoginThrottled, recordLoginFailure, recordLoginSuccess } from "@/lib/auth/throttle";
import { log } from "@/lib/log";

const credentialsSchema = z.object({ email: z.email().max(320), password: z.string().min(1).max(1024) });

/**
 * Returns the user for valid credentials, else null: the caller never learns which part was wrong,
 * nor whether the attempt was throttled (too many failures refuse even the right password).
 */
export async function authenticate(raw: unknown, context: { ip?: string | null } = {}): Promise<{ id: string; email: string; name: string } | null> {
  const parsed = credentialsSchema.safeParse(raw);
  if (!parsed.success) return null;
  const email = parsed.data.email.toLowerCase();
  const ip = context.ip ?? null;
  if (await isLoginThrottled({ email, ip })) {
    log.warn({ ip }, "sign-in refused: too many failures");
    return null;
  }
  const user = await db.user.findUnique({ where: { email }, select: { id: true, email: true, name: true, passwordHash: true } });
  const isValid = await verifyPassword(user?.passwordHash ?? (await getDecoyHash()), parsed.data.password);
  if (!user || !isValid) {
    await recordLoginFailure({ email, ip });
    return null;
  }
  await recordLoginSuccess({ email });
  return { id: user.id, email: user.email, name: user.name };
}

let cached: NextAuthOptions | undefined;

export function authOptions(): NextAuthOptions {
  cached ??= {
    secret: env().NEXTAUTH_SECRET,
    session: { strategy: "jwt", maxAge: 12 * 60 * 60 },
    pages: { signIn: "/signin" },
    useSecureCookies: env().APP_URL.startsWith("https://"),
    providers: [
      CredentialsProvider({
        name: "Email and password",
        credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
        authorize: (credentials, request) => authenticate(credentials, { ip: clientIp(request?.headers) }),
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
