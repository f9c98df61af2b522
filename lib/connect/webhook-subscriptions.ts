import "server-only";
import { randomUUID } from "node:crypto";
import { env } from "@/lib/env";
import { errorSummary, log } from "@/lib/log";
import { createOrgApi, type OrgApi } from "@/lib/officernd/org-api";
import { isOfficeRndError } from "@/lib/officernd/upstream-failures";

// The OfficeRnD webhooks an installation listens to: integration.removed (so a disconnect in OfficeRnD
// reaches us, spec §2 step 4) and the entity events that keep synced data fresh.

export const CORE_EVENT_TYPES = [
  "integration.removed",
  "member.created",
  "member.updated",
  "member.removed",
  "company.created",
  "company.updated",
  "company.removed",
] as const;
const LOCATION_EVENT_TYPES = ["location.created", "location.updated", "location.removed"] as const;
export const WEBHOOK_EVENT_TYPES: readonly string[] = [...CORE_EVENT_TYPES, ...LOCATION_EVENT_TYPES];

export type NewSubscription = {
  id: string;
  remoteId: string;
  url: string;
  eventTypes: string[];
  secret: string;
};
type Access = { regionUrl: string; slug: string; accessToken: string };

/** Webhook calls as the Connect flow's fresh token, v1 or v2 (lib/officernd/org-api.ts). */
function apiFor({ regionUrl, slug, accessToken }: Access): OrgApi {
  // The admin is waiting in the popup: one retry per call at most.
  return createOrgApi({ orgSlug: slug, regionUrl, accessToken }, { policy: { maxAttempts: 2 } });
}

export function webhookUrlFor(installationId: string): string {
  return `${env().APP_URL}/api/webhooks/officernd/${installationId}`;
}

/**
 * Registers the installation's subscription. OfficeRnD's documented event list has no location.*
 * events (spec §3d); if it refuses them (400), we subscribe to the rest rather than fail the connect.
 */
export async function subscribeWebhooks({
  installationId,
  ...access
}: Access & { installationId: string }): Promise<NewSubscription[]> {
  const url = webhookUrlFor(installationId);
  const description = `Partner integration (${new URL(env().APP_URL).host}), installation ${installationId}`;
  const api = apiFor(access);
  let created;
  try {
    created = await api.createWebhook({ url, description, eventTypes: [...WEBHOOK_EVENT_TYPES] });
  } catch (error) {
    if (!isOfficeRndError(error, "rejected")) throw error;
    log.warn(
      { orgSlug: access.slug, installationId },
      "OfficeRnD refused location webhooks; subscribing without them",
    );
    created = await api.createWebhook({ url, description, eventTypes: [...CORE_EVENT_TYPES] });
  }
  return [
    {
      id: randomUUID(),
      remoteId: created.remoteId,
      url,
      eventTypes: created.eventTypes,
      secret: created.secret,
    },
  ];
}

/** Best effort: removes remote subscriptions, logging (not throwing) the ones that would not go. */
export async function unsubscribeWebhooks({
  remoteIds,
  ...access
}: Access & { remoteIds: readonly string[] }): Promise<{ failed: string[] }> {
  const failed: string[] = [];
  const api = remoteIds.length > 0 ? apiFor(access) : null;
  for (const remoteId of remoteIds) {
    try {
      await api!.deleteWebhook(remoteId);
    } catch (error) {
      failed.push(remoteId);
      log.warn(
        { orgSlug: access.slug, remoteId, detail: errorSummary(error) },
        "could not remove an OfficeRnD webhook subscription",
      );
    }
  }
  return { failed };
}

/**
 * After a reconnect: removes every other remote subscription to this installation's URL (the previous
 * connection's, a crashed attempt's), so OfficeRnD keeps exactly the one we store. Best effort.
 */
export async function removeStaleWebhooks({
  installationId,
  keep,
  ...access
}: Access & { installationId: string; keep: readonly string[] }): Promise<void> {
  const url = webhookUrlFor(installationId);
  let remoteIds: string[];
  try {
    remoteIds = (await apiFor(access).listWebhooks())
      .filter((webhook) => webhook.url === url && !keep.includes(webhook.remoteId))
      .map((webhook) => webhook.remoteId);
  } catch (error) {
    log.warn(
      { orgSlug: access.slug, installationId, detail: errorSummary(error) },
      "could not list OfficeRnD webhook subscriptions",
    );
    return;
  }
  await unsubscribeWebhooks({ ...access, remoteIds });
}
