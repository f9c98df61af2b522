import "server-only";
import { cookies } from "next/headers";
import { nextCookieOptions } from "@/lib/cookies";
import { env } from "@/lib/env";

// The dashboard remembers the account last chosen with the switcher (a plain preference cookie: it
// grants nothing, every read still checks membership), so the next visit opens on it.

const COOKIE = "dashboard-account";
const ONE_YEAR_SECONDS = 365 * 86_400;
const ACCOUNT_ID = /^[0-9a-f-]{36}$/i;

export async function readRememberedAccount(): Promise<string | null> {
  const value = (await cookies()).get(COOKIE)?.value;
  return value && ACCOUNT_ID.test(value) ? value : null;
}

/** Server actions only (cookies cannot be set while rendering). */
export async function rememberAccount(accountId: string): Promise<void> {
  (await cookies()).set(
    COOKIE,
    accountId,
    nextCookieOptions({
      path: "/dashboard",
      maxAgeSeconds: ONE_YEAR_SECONDS,
      httpOnly: true,
      secure: env().APP_URL.startsWith("https:"),
      sameSite: "Lax",
    }),
  );
}
