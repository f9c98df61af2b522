import "server-only";
import { createHash, randomBytes } from "node:crypto";
import { cookies } from "next/headers";
import { recordAudit } from "@/lib/audit/record-audit";
import { serializeCookie } from "@/lib/cookies";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { claimSignature, purgeExpiredSignatures, type SignatureClaim } from "@/lib/installations/replay";
import { errorSummary, log } from "@/lib/log";

// Sessions for the configuration screen. OfficeRnD opens the Configuration URL with a signed query;
// /configure exchanges it (once) for a random token in an HttpOnly cookie whose SHA-256 is stored in
// ConfigureSession. The session grants access to that one installation only, for 30 minutes.

export const CONFIGURE_SESSION_TTL_SECONDS = 30 * 60;

export type ConfigureSession = { installationId: string };
export type CreatedConfigureSession = { token: string; expiresAt: Date; setCookie: string };
export type ConfigureAccess =
  { kind: "granted"; session: ConfigureSession } | { kind: "no_session" } | { kind: "other_installation" };

type CreateOptions = {
  /** The signed link being exchanged: claimed in the same transaction, so it works once. */
  replayClaim?: SignatureClaim;
  /** Recorded in the audit event (OfficeRnD's `memberId`, when sent). */
  memberId?: string | null;
};

/** Returns the Set-Cookie value; AppError `conflict` when the signed link was already used. */
export async function createConfigureSession(
  installationId: string,
  options: CreateOptions = {},
): Promise<CreatedConfigureSession> {
  const token = randomBytes(32).toString("base64url");
  const expiresAt = new Date(Date.now() + CONFIGURE_SESSION_TTL_SECONDS * 1000);
  await db.$transaction(async (tx) => {
    if (options.replayClaim && !(await claimSignature(options.replayClaim, tx))) {
      throw new AppError(
        "conflict",
        "This link was already used. Open the configuration again from OfficeRnD.",
      );
    }
    const installation = await tx.installation.findUnique({
      where: { id: installationId },
      select: { accountId: true },
    });
    if (!installation) throw new AppError("not_found", "No such installation.");
    await tx.configureSession.create({ data: { tokenHash: hashToken(token), installationId, expiresAt } });
    await recordAudit(
      {
        accountId: installation.accountId,
        installationId,
        actor: `officernd-admin:${installationId}`,
        action: "configure.session_started",
        after: { memberId: options.memberId ?? null },
      },
      tx,
    );
  });
  await purgeExpired();
  return { token, expiresAt, setCookie: configureSessionCookie(token) };
}

/** The session a token stands for, or null when unknown or expired. */
export async function findConfigureSession(
  token: string | undefined | null,
): Promise<ConfigureSession | null> {
  if (!token || token.length > 200) return null;
  const row = await db.configureSession.findUnique({
    where: { tokenHash: hashToken(token) },
    select: { installationId: true, expiresAt: true },
  });
  if (!row || row.expiresAt.getTime() <= Date.now()) return null;
  return { installationId: row.installationId };
}

/** The current request's session (from its cookie), or null. For pages, route handlers and actions. */
export async function getConfigureSession(): Promise<ConfigureSession | null> {
  const store = await cookies();
  return findConfigureSession(store.get(configureCookieName())?.value);
}

export async function checkConfigureAccess(installationId: string): Promise<ConfigureAccess> {
  const session = await getConfigureSession();
  if (!session) return { kind: "no_session" };
  if (session.installationId !== installationId) return { kind: "other_installation" };
  return { kind: "granted", session };
}

/**
 * For route handlers and server actions: the session for `installationId`, or an AppError:
 * `unauthorized` (401) without a session, `forbidden` (403) for a session of another installation.
 */
export async function requireConfigureSession(installationId: string): Promise<ConfigureSession> {
  const access = await checkConfigureAccess(installationId);
  if (access.kind === "no_session")
    throw new AppError(
      "unauthorized",
      "Your configuration session has expired. Open the configuration again from OfficeRnD.",
    );
  if (access.kind === "other_installation")
    throw new AppError(
      "forbidden",
      "This configuration session belongs to another installation. Open the configuration again from OfficeRnD.",
    );
  return access.session;
}

/** `__Host-` pins the cookie to this host and path "/"; browsers only accept it over https. */
export function configureCookieName(appUrl: string = env().APP_URL): string {
  return isHttps(appUrl) ? "__Host-configure-session" : "configure-session";
}

/**
 * OfficeRnD may show the configuration screen in an iframe, where only `SameSite=None; Secure`
 * cookies are sent, and `Partitioned` (CHIPS) keeps them working once third-party cookies are
 * blocked. Plain http (development) cannot use Secure, so it gets `SameSite=Lax`.
 */
export function configureSessionCookie(token: string, appUrl: string = env().APP_URL): string {
  const isFramable = isHttps(appUrl);
  return serializeCookie(configureCookieName(appUrl), token, {
    path: "/",
    maxAgeSeconds: CONFIGURE_SESSION_TTL_SECONDS,
    httpOnly: true,
    ...(isFramable ? { secure: true, sameSite: "None", partitioned: true } : { sameSite: "Lax" }),
  });
}

function isHttps(appUrl: string): boolean {
  return appUrl.startsWith("https://");
}

function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

async function purgeExpired(): Promise<void> {
  try {
    await db.configureSession.deleteMany({ where: { expiresAt: { lt: new Date() } } });
    await purgeExpiredSignatures();
  } catch (error) {
    log.warn({ err: errorSummary(error) }, "could not purge expired configure sessions");
  }
}
