import { createHash } from "node:crypto";
import { z } from "zod";
import type { EntityKind } from "@/lib/sync/mapping";

// Pure: the webhook envelope (spec §3c) and how events are keyed and routed. Parsed leniently: only
// `eventType` and `data.object._id` are required; a top-level `id` and `createdAt` are used when present
// (unconfirmed in the spec, sent by the emulator by default).

export const webhookEnvelopeSchema = z.looseObject({
  id: z.union([z.string(), z.number()]).transform(String).optional().catch(undefined),
  eventType: z.string().min(1).max(200),
  createdAt: z.string().optional().catch(undefined),
  data: z.looseObject({
    object: z.looseObject({ _id: z.string().min(1).max(200) }),
  }),
});

export type WebhookEnvelope = z.infer<typeof webhookEnvelopeSchema>;

/** Bodies above this are refused with 413 (OfficeRnD events are a few KB; issue 12 item 7). */
export const MAX_WEBHOOK_BYTES = 256 * 1024;

/**
 * Unique across installations: OfficeRnD's event id, else a hash of the raw body and the signed timestamp
 * (a redelivery re-signs and is processed again, which is harmless: processing is idempotent).
 */
export function dedupeKeyFor({
  installationId,
  envelope,
  rawBody,
  timestamp,
}: {
  installationId: string;
  envelope: WebhookEnvelope;
  rawBody: Uint8Array;
  timestamp: number;
}): string {
  if (envelope.id && envelope.id.trim() !== "") return `${installationId}:id:${envelope.id}`;
  const digest = createHash("sha256").update(rawBody).update(`.${timestamp}`).digest("hex");
  return `${installationId}:sha256:${digest}`;
}

const ENTITY_PREFIXES: Record<string, EntityKind> = {
  member: "members",
  company: "companies",
  location: "locations",
};
const ACTIONS = ["created", "updated", "removed"] as const;
export type EntityAction = (typeof ACTIONS)[number];

/** `member.updated` → members/updated; null for events the sync does not act on. */
export function entityEventOf(eventType: string): { kind: EntityKind; action: EntityAction } | null {
  const [prefix, action, ...rest] = eventType.split(".");
  const kind = prefix ? ENTITY_PREFIXES[prefix] : undefined;
  if (!kind || rest.length > 0 || !ACTIONS.includes(action as EntityAction)) return null;
  return { kind, action: action as EntityAction };
}

/** When OfficeRnD created the event, as far as it tells: `createdAt` when valid, else undefined. */
export function eventCreatedAt(envelope: WebhookEnvelope): Date | undefined {
  const ms = envelope.createdAt ? Date.parse(envelope.createdAt) : Number.NaN;
  return Number.isNaN(ms) ? undefined : new Date(ms);
}
