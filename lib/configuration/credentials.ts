import "server-only";
import { headers } from "next/headers";
import { getConfigureSession } from "@/lib/auth/configure-session";
import { getSessionUser, type SessionUser } from "@/lib/auth/session";
import { authorizeConfigure, type ConfigureIntent, type ConfigureViewer } from "@/lib/configuration/access";
import { errorSummary, log } from "@/lib/log";

// Dashboard links open the configuration page with `?as=partner`; proxy.ts passes it on in this header
// (page, server actions and refreshes all go to the page's own URL). Any other value is ignored.
export const CONFIGURE_AS_HEADER = "x-configure-as";
export type ConfigureAs = "partner" | null;

/**
 * The current request's credentials checked against `installationId`. One browser may hold OfficeRnD's
 * launch session (30 minutes) and a partner sign-in for the same installation: who acts follows how the
 * page was opened (from OfficeRnD by default, `as=partner` from the dashboard), so a partner user's save is
 * audited under their name. Only credentials the request really holds count.
 */
export async function authorizeCurrentRequest(
  installationId: string,
  intent: ConfigureIntent,
  as?: ConfigureAs,
): Promise<ConfigureViewer> {
  const configureSession = await getConfigureSession();
  const holdsLaunch = configureSession?.installationId === installationId;
  if ((as ?? (await readConfigureAs())) === "partner") {
    const user = await readSessionUser();
    if (user) {
      try {
        return await authorizeConfigure({
          credentials: { configureSession: null, user },
          installationId,
          intent,
        });
      } catch (error) {
        // A role that may only read, asking to write: OfficeRnD's launch session may still do it.
        if (!holdsLaunch) throw error;
      }
    }
  }
  // OfficeRnD's launch session is the usual way in; the partner sign-in is only consulted without it.
  const user = holdsLaunch ? null : await readSessionUser();
  return authorizeConfigure({ credentials: { configureSession, user }, installationId, intent });
}

/** `?as=partner` of the page's URL, as proxy.ts passed it on; null when absent or unreadable. */
export function parseConfigureAs(value: string | null | undefined): ConfigureAs {
  return value === "partner" ? "partner" : null;
}

async function readConfigureAs(): Promise<ConfigureAs> {
  try {
    return parseConfigureAs((await headers()).get(CONFIGURE_AS_HEADER));
  } catch {
    return null;
  }
}

/** An unreadable partner session counts as none: that way in fails closed, OfficeRnD's keeps working. */
async function readSessionUser(): Promise<SessionUser | null> {
  try {
    return await getSessionUser();
  } catch (error) {
    log.warn({ err: errorSummary(error) }, "partner session unreadable; treated as signed out");
    return null;
  }
}
