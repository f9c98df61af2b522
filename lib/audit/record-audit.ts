import "server-only";
import type { Prisma } from "@/lib/generated/prisma/client";
import { db } from "@/lib/db";

export type AuditInput = {
  accountId?: string | null;
  installationId?: string | null;
  /** Who acted: `user:<id>`, `officernd-admin:<installationId>`, `officernd:webhook`, `system`. */
  actor: string;
  action: string;
  before?: Prisma.InputJsonValue;
  after?: Prisma.InputJsonValue;
};

type Client = Pick<typeof db, "auditEvent">;

/** Appends one audit event. Pass the transaction client to make it part of the change it records. */
export async function recordAudit(input: AuditInput, client: Client = db): Promise<void> {
  await client.auditEvent.create({
    data: {
      accountId: input.accountId ?? null,
      installationId: input.installationId ?? null,
      actor: input.actor,
      action: input.action,
      before: input.before,
      after: input.after,
    },
  });
}
