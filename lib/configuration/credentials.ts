import "server-only";
import { getConfigureSession } from "@/lib/auth/configure-session";
import { getSessionUser, type SessionUser } from "@/lib/auth/session";
import { authorizeConfigure, type ConfigureIntent, type ConfigureViewer } from "@/lib/configuration/access";
import { log } from "@/lib/log";

/** The current request's credentials checked against `installationId` (pages, actions, routes). */
export async function authorizeCurrentRequest(installationId: string, intent: ConfigureIntent): Promise<ConfigureViewer> {
  const configureSession = await getConfigureSession();
  // OfficeRnD's launch session is the usual way in; the partner sign-in is only consulted without it.
  const user = configureSession?.installationId === installationId ? null : await readSessionUser();
  return authorizeConfigure({ credentials: { configureSession, user }, installationId, intent });
}

/** An unreadable partner session counts as none: that way in fails closed, OfficeRnD's keeps working. */
async function readSessionUser(): Promise<SessionUser | null> {
  try {
    return await getSessionUser();
  } catch (error) {
    log.warn({ err: error instanceof Error ? error.message : String(error) }, "partner session unreadable; treated as signed out");
    return null;
  }
}
