import "server-only";
import type { Prisma } from "@/lib/generated/prisma/client";
import { db } from "@/lib/db";
import { requireAccountMember } from "@/lib/dashboard/account-scope";
import { diffAudit, type AuditChange } from "@/lib/dashboard/audit-diff";

export const AUDIT_PAGE_SIZE = 30;

export type AuditEntry = {
  id: string;
  installationId: string | null;
  orgName: string | null;
  actor: string;
  /** The actor in words: a user's email, "OfficeRnD admin", "OfficeRnD", "System". */
  actorLabel: string;
  action: string;
  before: Prisma.JsonValue;
  after: Prisma.JsonValue;
  /** The leaves that differ between before and after. */
  changes: AuditChange[];
  createdAt: Date;
};

export type AuditPage = { entries: AuditEntry[]; nextBefore: string | null };

/**
 * The account's audit events, newest first, AUDIT_PAGE_SIZE at a time (`before` is the id of the
 * last entry of the previous page), for a member of the account.
 */
export async function listAuditEvents({ userId, accountId, before }: { userId: string; accountId: string; before?: string | null }): Promise<AuditPage> {
  await requireAccountMember({ userId, accountId });
  const anchor = before ? await db.auditEvent.findFirst({ where: { id: before, accountId }, select: { id: true, createdAt: true } }) : null;
  const rows = await db.auditEvent.findMany({
    where: {
      accountId,
      ...(anchor ? { OR: [{ createdAt: { lt: anchor.createdAt } }, { createdAt: anchor.createdAt, id: { lt: anchor.id } }] } : {}),
    },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: AUDIT_PAGE_SIZE + 1,
    select: { id: true, installationId: true, actor: true, action: true, before: true, after: true, createdAt: true },
  });
  const page = rows.slice(0, AUDIT_PAGE_SIZE);
  const labels = await actorLabels(page.map((row) => row.actor));
  const installationIds = [...new Set(page.map((row) => row.installationId).filter((id): id is string => id !== null))];
  const installations = await db.installation.findMany({ where: { id: { in: installationIds }, accountId }, select: { id: true, orgName: true } });
  const orgName = new Map(installations.map((installation) => [installation.id, installation.orgName]));
  return {
    entries: page.map((row) => ({
      ...row,
      changes: diffAudit(row.before, row.after),
      orgName: row.installationId ? (orgName.get(row.installationId) ?? null) : null,
      actorLabel: labels.get(row.actor) ?? row.actor,
    })),
    nextBefore: rows.length > AUDIT_PAGE_SIZE ? (page[page.length - 1]?.id ?? null) : null,
  };
}

async function actorLabels(actors: string[]): Promise<Map<string, string>> {
  const userIds = [...new Set(actors.filter((actor) => actor.startsWith("user:")).map((actor) => actor.slice("user:".length)))];
  const users = userIds.length > 0 ? await db.user.findMany({ where: { id: { in: userIds } }, select: { id: true, email: true } }) : [];
  const email = new Map(users.map((user) => [`user:${user.id}`, user.email]));
  return new Map(actors.map((actor) => [actor, email.get(actor) ?? describeActor(actor)]));
}

function describeActor(actor: string): string {
  if (actor.startsWith("officernd-admin:")) return "OfficeRnD admin";
  if (actor.startsWith("officernd")) return "OfficeRnD";
  if (actor === "system") return "System";
  if (actor.startsWith("user:")) return "Former user";
  return actor;
}
