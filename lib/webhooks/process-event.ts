import "server-only";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { errorSummary, log } from "@/lib/log";
import { teardownInstallation } from "@/lib/installations/teardown";
import { applyEntityEvent } from "@/lib/webhooks/apply-entity-event";
import { entityEventOf, eventCreatedAt, webhookEnvelopeSchema } from "@/lib/webhooks/envelope";

// The `webhook-event` job: applies one persisted event. Safe to run twice: a processed event is skipped,
// and every action is idempotent.

export type ProcessOutcome = { status: "processed" | "ignored" | "skipped"; detail?: string };

export async function processWebhookEvent(eventId: string): Promise<ProcessOutcome> {
  const event = await db.webhookEvent.findUnique({
    where: { id: eventId },
    select: {
      id: true,
      installationId: true,
      eventType: true,
      objectId: true,
      payload: true,
      signedAt: true,
      receivedAt: true,
      status: true,
    },
  });
  if (!event) return { status: "skipped", detail: "no such event" };
  if (event.status === "processed" || event.status === "ignored")
    return { status: "skipped", detail: `already ${event.status}` };
  await db.webhookEvent.update({ where: { id: eventId }, data: { attempts: { increment: 1 } } });

  try {
    const outcome = await dispatch(event);
    await db.webhookEvent.update({
      where: { id: eventId },
      data: { status: outcome.status, error: outcome.detail ?? null, processedAt: new Date() },
    });
    return outcome;
  } catch (error) {
    const message = errorSummary(error);
    await db.webhookEvent
      .update({ where: { id: eventId }, data: { status: "failed", error: message.slice(0, 500) } })
      .catch(() => {});
    throw error;
  }
}

type StoredEvent = {
  id: string;
  installationId: string;
  eventType: string;
  objectId: string | null;
  payload: unknown;
  signedAt: Date;
  receivedAt: Date;
};

async function dispatch(event: StoredEvent): Promise<ProcessOutcome> {
  const envelope = webhookEnvelopeSchema.safeParse(event.payload);
  if (!envelope.success) return { status: "ignored", detail: "payload is not an event envelope" };
  if (event.eventType === "integration.removed") return handleRemoval(event, eventCreatedAt(envelope.data));
  const entity = entityEventOf(event.eventType);
  if (!entity) return { status: "ignored", detail: `${event.eventType} is not synced` };
  const result = await applyEntityEvent({
    installationId: event.installationId,
    kind: entity.kind,
    action: entity.action,
    object: envelope.data.data.object,
    occurredAt: eventCreatedAt(envelope.data) ?? event.signedAt,
    eventId: event.id,
  });
  return result.outcome === "applied"
    ? { status: "processed", detail: result.reason }
    : { status: "ignored", detail: result.reason };
}

/**
 * `integration.removed` for this installation's integration tears it down, unless the event predates
 * the current connection: a removal received, signed or created before `connectedAt` belongs to the
 * connection that a reconnect replaced, and must not break the new one.
 */
async function handleRemoval(event: StoredEvent, createdAt: Date | undefined): Promise<ProcessOutcome> {
  const installation = await db.installation.findUnique({
    where: { id: event.installationId },
    select: { integrationId: true, status: true, generation: true, connectedAt: true },
  });
  if (!installation) return { status: "ignored", detail: "installation gone" };
  if (event.objectId !== installation.integrationId)
    return { status: "ignored", detail: "removal of another integration" };
  if (installation.status === "removed") return { status: "ignored", detail: "already removed" };
  if (
    isBeforeConnection({
      receivedAt: event.receivedAt,
      signedAt: event.signedAt,
      createdAt,
      connectedAt: installation.connectedAt,
    })
  ) {
    return { status: "ignored", detail: "removal predates the current connection" };
  }

  const result = await teardownInstallation({
    installationId: event.installationId,
    actor: "officernd:webhook",
    reason: "integration.removed",
    expectedGeneration: installation.generation,
  });
  if (result.outcome === "not_found")
    throw new AppError("not_found", "Installation vanished during teardown.");
  log.info(
    { installationId: event.installationId, eventId: event.id, outcome: result.outcome },
    "integration.removed handled",
  );
  return result.outcome === "removed"
    ? { status: "processed" }
    : { status: "ignored", detail: result.outcome };
}

/** Pure: did the event happen before the connection began? `t` of a signature has whole seconds only. */
export function isBeforeConnection({
  receivedAt,
  signedAt,
  createdAt,
  connectedAt,
}: {
  receivedAt: Date;
  signedAt: Date;
  createdAt?: Date;
  connectedAt: Date;
}): boolean {
  const connectedSecond = Math.floor(connectedAt.getTime() / 1000) * 1000;
  return (
    receivedAt < connectedAt ||
    signedAt.getTime() < connectedSecond ||
    (createdAt !== undefined && createdAt < connectedAt)
  );
}
