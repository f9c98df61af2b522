import "server-only";
import { db } from "@/lib/db";
import { describeActor, describeEnding } from "@/lib/audit/audit-words";

// Who ended an installation and when, from its `installation.removed` audit events (Disconnect here,
// or OfficeRnD's integration.removed webhook).

export type Ending = { label: string; at: Date; isRemovedInOfficeRnd: boolean };

/** The ending of each removed installation in `installationIds`; `viewerActor` reads as "you". */
export async function loadEndings({
  installationIds,
  viewerActor,
}: {
  installationIds: string[];
  viewerActor?: string | null;
}): Promise<Map<string, Ending>> {
  if (installationIds.length === 0) return new Map();
  const events = await db.auditEvent.findMany({
    where: { installationId: { in: installationIds }, action: "installation.removed" },
    orderBy: { createdAt: "desc" },
    select: { installationId: true, actor: true, after: true, createdAt: true },
  });
  const userIds = [
    ...new Set(
      events
        .filter((event) => event.actor.startsWith("user:"))
        .map((event) => event.actor.slice("user:".length)),
    ),
  ];
  const users =
    userIds.length > 0
      ? await db.user.findMany({
          where: { id: { in: userIds } },
          select: { id: true, name: true, email: true },
        })
      : [];
  const names = new Map(users.map((user) => [`user:${user.id}`, user.name || user.email]));
  const endings = new Map<string, Ending>();
  for (const event of events) {
    if (!event.installationId || endings.has(event.installationId)) continue;
    const reason =
      typeof event.after === "object" && event.after !== null && !Array.isArray(event.after)
        ? event.after.reason
        : undefined;
    const actorLabel = describeActor(event.actor, { names, viewerActor });
    endings.set(event.installationId, {
      label: describeEnding({ actorLabel, reason }),
      at: event.createdAt,
      isRemovedInOfficeRnd: reason === "integration.removed",
    });
  }
  return endings;
}
