import "server-only";
import type { ConfigureSession } from "@/lib/auth/configure-session";
import type { SessionUser } from "@/lib/auth/session";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { AccountRole } from "@/lib/generated/prisma/client";

// Who may see or change one installation's configuration: the OfficeRnD admin holding a configure
// session for exactly that installation (from the signed launch), or a signed-in partner user who is
// a member of the installation's account: owners and admins may change it, members only read.

export type ConfigureCredentials = { configureSession: ConfigureSession | null; user: SessionUser | null };
export type ConfigureIntent = "read" | "write";

export type ConfigureViewer = {
  installationId: string;
  accountId: string;
  kind: "officernd-admin" | "partner-user";
  /** For the audit trail: `officernd-admin:<installationId>` or `user:<id>`. */
  actor: string;
  role: AccountRole | null;
  canEdit: boolean;
  isRemoved: boolean;
};

const EDIT_ROLES: readonly AccountRole[] = ["owner", "admin"];

/**
 * The viewer for `installationId`, or AppError: `unauthorized` without credentials, `forbidden` for
 * credentials not covering it (existing or not, so ids cannot be probed) or a reader asking to write,
 * `conflict` for a write to a disconnected installation.
 */
export async function authorizeConfigure({
  credentials,
  installationId,
  intent,
}: {
  credentials: ConfigureCredentials;
  installationId: string;
  intent: ConfigureIntent;
}): Promise<ConfigureViewer> {
  const { configureSession, user } = credentials;
  if (!configureSession && !user)
    throw new AppError(
      "unauthorized",
      "Your session has expired. Open the configuration again from OfficeRnD, or sign in.",
    );
  const installation = isPlausibleId(installationId)
    ? await db.installation.findUnique({
        where: { id: installationId },
        select: { accountId: true, status: true },
      })
    : null;

  let viewer: ConfigureViewer | null = null;
  if (installation && configureSession?.installationId === installationId) {
    viewer = base("officernd-admin", `officernd-admin:${installationId}`, null, true);
  } else if (installation && user) {
    const membership = await db.accountMember.findUnique({
      where: { accountId_userId: { accountId: installation.accountId, userId: user.id } },
      select: { role: true },
    });
    if (membership)
      viewer = base("partner-user", `user:${user.id}`, membership.role, EDIT_ROLES.includes(membership.role));
  }
  if (!viewer)
    throw new AppError(
      "forbidden",
      "You do not have access to this installation. Open its configuration from OfficeRnD.",
    );
  if (intent === "write" && !viewer.canEdit)
    throw new AppError(
      "forbidden",
      "Your role in this account can view the configuration but not change it.",
    );
  if (intent === "write" && viewer.isRemoved)
    throw new AppError(
      "conflict",
      "This integration is disconnected. Connect it again from OfficeRnD to change its configuration.",
    );
  return viewer;

  function base(
    kind: ConfigureViewer["kind"],
    actor: string,
    role: AccountRole | null,
    canEdit: boolean,
  ): ConfigureViewer {
    return {
      installationId,
      accountId: installation!.accountId,
      kind,
      actor,
      role,
      canEdit,
      isRemoved: installation!.status === "removed",
    };
  }
}

/** Installation ids are UUIDs; anything else is refused before it reaches a query. */
function isPlausibleId(value: string): boolean {
  return /^[0-9a-f-]{36}$/i.test(value);
}
