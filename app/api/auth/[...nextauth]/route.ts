// GET|POST /api/auth/* – next-auth 4 (sign-in, sign-out, session, CSRF)
import NextAuth from "next-auth";
import {
  CALLBACK_COOKIES,
  hasInvalidCallbackCookie,
  withoutInvalidCallbackUrls,
} from "@/lib/auth/auth-request";
import { authOptions } from "@/lib/auth/options";
import { clearedCookie } from "@/lib/cookies";
import { env } from "@/lib/env";
import { errorResponse } from "@/lib/errors";
import { withErrors } from "@/lib/http/respond";

type Context = { params: Promise<{ nextauth: string[] }> };

async function handler(request: Request, context: Context): Promise<Response> {
  // next-auth 4 reads params synchronously; Next 16 hands them over as a promise.
  const params = await context.params;
  // The credentials callback only exists as POST; next-auth answers any other method with a 500.
  if (params.nextauth[0] === "callback" && request.method !== "POST") {
    return errorResponse("method_not_allowed", "Sign-in callbacks are POST only.", { Allow: "POST" });
  }
  const appUrl = env().APP_URL;
  if (hasInvalidCallbackCookie(request, appUrl)) {
    // next-auth would answer 500; clear the cookie so the next attempt works.
    const response = errorResponse(
      "bad_request",
      "The sign-in callback cookie was invalid and has been cleared. Please try again.",
    );
    for (const name of CALLBACK_COOKIES) response.headers.append("Set-Cookie", clearedCookie(name, "/"));
    return response;
  }
  const handle = NextAuth(authOptions()) as (
    req: Request,
    ctx: { params: { nextauth: string[] } },
  ) => Promise<Response>;
  return handle(withoutInvalidCallbackUrls(request, appUrl), { params });
}

// Sign-in attempts are public: limited per client IP here, and per email and IP in lib/auth/throttle.ts.
const route = withErrors("auth", handler, { publicRateLimit: { tenant: () => undefined } });

export { route as GET, route as POST };
