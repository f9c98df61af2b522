import "server-only";
import type { Prisma } from "@/lib/generated/prisma/client";
import { describeLocations } from "@/lib/installations/describe-locations";
import { db } from "@/lib/db";
import { requireAccountMember } from "@/lib/dashboard/account-scope";
import { diffAudit, type AuditChange } from "@/lib/dashboard/audit-diff";
import {
  AUDIT_ACTION_GROUPS,
  describeActor,
  describeAuditEvent,
  HIDDEN_AUDIT_ACTIONS,
  type AuditActionGroup,
} from "@/lib/audit/audit-words";

export const AUDIT_PAGE_SIZE = 30;

export type AuditEntry = {
  id: string;
  installationId: string | null;
  /** "Acme Coworking · Shoreditch" (or "· All locations"). */
  installationLabel: string | null;
  actor: string;
  /** The actor in words: "You", a user's name, "An OfficeRnD admin", "OfficeRnD", "The system". */
  actorLabel: string;
  sentence: string;
  action: string;
  before: Prisma.JsonValue;
  after: Prisma.JsonValue;
  changes: AuditChange[];
  createdAt: Date;
};

export type AuditFilter = { installationId: string | null; group: AuditActionGroup | null };
export type AuditInstallationOption = { id: string; label: string };
export type AuditPage = {
  entries: AuditEntry[];
  nextBefore: string | null;
  installations: AuditInstallationOption[];
};

/**
 * The account's audit events, newest first, a page at a time (`before`: the previous page's last id), for a
 * member of the account. Opening the configuration is not listed (it changes nothing).
 */
export async function listAuditEvents({
  userId,
  accountId,
  before,
  filter = { installationId: null, group: null },
}: {
  userId: string;
  accountId: string;
  before?: string | null;
  filter?: AuditFilter;
}): Promise<AuditPage> {
  await requireAccountMember({ userId, accountId });
  const installations = await db.installation.findMany({
    where: { accountId },
    orderBy: [{ orgName: "asc" }, { connectedAt: "asc" }],
    select: {
      id: true,
      orgName: true,
      status: true,
      locationsKey: true,
      locations: { select: { name: true }, orderBy: { name: "asc" } },
    },
  });
  const labels = new Map(
    installations.map((installation) => [
      installation.id,
      `${installation.orgName} · ${describeLocations({ coversAll: installation.locationsKey === "", names: installation.locations.map((location) => location.name) })}${installation.status === "removed" ? " (disconnected)" : ""}`,
    ]),
  );
  const anchor = before
    ? await db.auditEvent.findFirst({
        where: { id: before, accountId },
        select: { id: true, createdAt: true },
      })
    : null;
  const group = filter.group ? AUDIT_ACTION_GROUPS[filter.group] : null;
  const rows = await db.auditEvent.findMany({
    where: {
      AND: [
        { accountId, action: { notIn: [...HIDDEN_AUDIT_ACTIONS] } },
        filter.installationId ? { installationId: filter.installationId } : {},
        group ? { OR: group.prefixes.map((prefix) => ({ action: { startsWith: prefix } })) } : {},
        anchor
          ? {
              OR: [
                { createdAt: { lt: anchor.createdAt } },
                { createdAt: anchor.createdAt, id: { lt: anchor.id } },
              ],
            }
          : {},
      ],
    },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: AUDIT_PAGE_SIZE + 1,
    select: {
      id: true,
      installationId: true,
      actor: true,
      action: true,
      before: true,
      after: true,
      createdAt: true,
    },
  });
  const page = rows.slice(0, AUDIT_PAGE_SIZE);
  const names = await userNames(page.map((row) => row.actor));
  return {
    entries: page.map((row) => {
      const actorLabel = describeActor(row.actor, { names, viewerActor: `user:${userId}` });
      const installationLabel = row.installationId ? (labels.get(row.installationId) ?? null) : null;
      return {
        ...row,
        actorLabel,
        installationLabel,
        sentence: describeAuditEvent({
          action: row.action,
          actorLabel,
          before: row.before,
          after: row.after,
          installationLabel,
        }),
        changes: diffAudit(row.before, row.after),
      };
    }),
    nextBefore: rows.length > AUDIT_PAGE_SIZE ? (page[page.length - 1]?.id ?? null) : null,
    installations: installations.map((installation) => ({
      id: installation.id,
      label: labels.get(installation.id) ?? installation.orgName,
    })),
  };
}

async function userNames(actors: string[]): Promise<Map<string, string>> {
  const userIds = [
    ...new Set(
      actors.filter((actor) => actor.startsWith("user:")).map((actor) => actor.slice("user:".length)),
    ),
  ];
  const users =
    userIds.length > 0
      ? await db.user.findMany({
          where: { id: { in: userIds } },
          select: { id: true, name: true, email: true },
        })
      : [];
  return new Map(users.map((user) => [`user:${user.id}`, user.name || user.email]));
}
