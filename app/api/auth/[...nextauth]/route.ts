// GET|POST /api/auth/* – next-auth 4 (sign-in, sign-out, session, CSRF)
import NextAuth from "next-auth";
import { withoutInvalidCallbackUrls } from "@/lib/auth/auth-request";
import { authOptions } from "@/lib/auth/options";
import { env } from "@/lib/env";
import { observed } from "@/lib/http/respond";

type Context = { params: Promise<{ nextauth: string[] }> };

async function handler(request: Request, context: Context): Promise<Response> {
  // next-auth 4 reads params synchronously; Next 16 hands them over as a promise.
  const params = await context.params;
  const handle = NextAuth(authOptions()) as (req: Request, ctx: { params: { nextauth: string[] } }) => Promise<Response>;
  return handle(withoutInvalidCallbackUrls(request, env().APP_URL), { params });
}

// Sign-in attempts are public: limited per client IP here, and per email and IP in lib/auth/throttle.ts.
const route = observed("auth", handler, { publicRateLimit: { tenant: () => undefined } });

export { route as GET, route as POST };
