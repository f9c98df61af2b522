import "server-only";
import { recordAudit } from "@/lib/audit/record-audit";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { errorSummary, log } from "@/lib/log";
import { createOrgApi, type OrgApi as ApiClient } from "@/lib/officernd/org-api";
import { parseLocationSettings } from "@/lib/sync/location-settings";
import { isInScope, type EntityKind, type SyncScope } from "@/lib/sync/mapping";
import { requestSync } from "@/lib/sync/request-sync";
import { readEntityShape } from "@/lib/webhooks/entity-shape";
import { findMissedChanges, gapMessage, type RemoteChange } from "@/lib/webhooks/gap";
import { checkSubscription, type SubscriptionCheck } from "@/lib/webhooks/subscription";

// Webhook-gap detection (issue 13 part 3): webhooks get lost (OfficeRnD gives up, our outage outlasts its
// retries, a subscription is deleted). Every WEBHOOK_RECONCILE_MINUTES, per installation and resource, one
// request asks what changed after the newest change already checked; changes neither in our copy nor
// announced are "missed": recorded, healed by an incremental sync, and the subscription checked.

const KINDS: readonly EntityKind[] = ["locations", "companies", "members"];
const PAGE_LIMIT = 50;
/** Changes younger than this may still be in flight (delivery plus processing). */
export const GAP_GRACE_MS = 2 * 60_000;
const DUE_BATCH = 25;

export type ReconcileResult = {
  installationId: string;
  missed: number;
  hasMore: boolean;
  message: string | null;
  healRunIds: string[];
  subscription: SubscriptionCheck | null;
  error: string | null;
};

type Installation = {
  id: string;
  accountId: string;
  orgSlug: string;
  regionUrl: string;
  locations: { locationId: string; settings: unknown; lastSyncAt: Date | null }[];
};

/** Checks one installation now. Never throws for OfficeRnD trouble: it is recorded as `lastCheckError`. */
export async function reconcileInstallationWebhooks(
  installationId: string,
  { now = new Date(), client }: { now?: Date; client?: ApiClient } = {},
): Promise<ReconcileResult> {
  const installation = await db.installation.findFirst({
    where: { id: installationId, status: "active" },
    select: {
      id: true,
      accountId: true,
      orgSlug: true,
      regionUrl: true,
      syncEnabled: true,
      locations: {
        where: { syncEnabled: true },
        select: { locationId: true, settings: true, lastSyncAt: true },
      },
    },
  });
  const result: ReconcileResult = {
    installationId,
    missed: 0,
    hasMore: false,
    message: null,
    healRunIds: [],
    subscription: null,
    error: null,
  };
  if (!installation) return result;
  const health = await db.webhookHealth.upsert({
    where: { installationId },
    create: { installationId, lastCheckAt: now },
    update: { lastCheckAt: now },
    select: { checkedThrough: true },
  });
  const checkedThrough = { ...((health.checkedThrough ?? {}) as Record<string, string>) };
  const api =
    client ??
    createOrgApi({ installationId, orgSlug: installation.orgSlug, regionUrl: installation.regionUrl });

  let missed: RemoteChange[] = [];
  try {
    // Nothing to compare before a first sync has filled the copy.
    if (installation.syncEnabled && installation.locations.some((location) => location.lastSyncAt !== null)) {
      for (const kind of KINDS) {
        const found = await checkKind({ installation, kind, api, since: checkedThrough[kind] ?? null, now });
        if (found.checkedThrough) checkedThrough[kind] = found.checkedThrough;
        missed = missed.concat(found.missed);
        result.hasMore ||= found.hasMore;
      }
    }
  } catch (error) {
    result.error = describe(error);
  }
  result.missed = missed.length;

  if (missed.length > 0) {
    const since = new Date(Math.min(...missed.map((change) => Date.parse(change.modifiedAt))));
    result.message = gapMessage({ count: missed.length, hasMore: result.hasMore, since });
    result.healRunIds = (
      await requestSync({ installationId, trigger: "webhook.gap", kind: "incremental" })
    ).runIds;
    log.warn(
      { installationId, missed: missed.length, hasMore: result.hasMore, since: since.toISOString() },
      result.message,
    );
    await recordAudit({
      accountId: installation.accountId,
      installationId,
      actor: "system",
      action: "webhooks.gap_healed",
      after: {
        message: result.message,
        missed: missed.length,
        hasMore: result.hasMore,
        runIds: result.healRunIds,
      },
    });
  }

  result.subscription = await checkSubscription({
    installationId,
    accountId: installation.accountId,
    now,
  }).catch((error: unknown) => {
    result.error ??= describe(error);
    return null;
  });

  await db.webhookHealth.update({
    where: { installationId },
    data: {
      checkedThrough,
      lastCheckError: result.error,
      missedChanges: missed.length,
      hasMoreMissed: result.hasMore,
      missedSince:
        missed.length > 0
          ? new Date(Math.min(...missed.map((change) => Date.parse(change.modifiedAt))))
          : null,
      ...(missed.length > 0
        ? {
            lastGapAt: now,
            lastGapMessage: result.message,
            totalMissed: { increment: missed.length },
            healRunIds: result.healRunIds,
          }
        : {}),
      updatedAt: now,
    },
  });
  return result;
}

async function checkKind({
  installation,
  kind,
  api,
  since,
  now,
}: {
  installation: Installation;
  kind: EntityKind;
  api: ApiClient;
  since: string | null;
  now: Date;
}): Promise<{ missed: RemoteChange[]; checkedThrough: string | null; hasMore: boolean }> {
  const start = since ?? (await newestInCopy(kind, installation.id));
  if (!start) return { missed: [], checkedThrough: null, hasMore: false };
  const locationIds = installation.locations.map((location) => location.locationId);
  const query = new URLSearchParams({ $limit: String(PAGE_LIMIT), "modifiedAt[$gt]": start });
  if (locationIds.length > 0)
    query.set(kind === "locations" ? "_id[$in]" : "location[$in]", locationIds.join(","));
  const page = await api.listPage(kind, query);

  const scope: SyncScope = new Map(
    installation.locations.map((location) => [location.locationId, parseLocationSettings(location.settings)]),
  );
  const ids = page.results.map((record) => record._id);
  const [copy, heard] = await Promise.all([
    copyVersions(kind, installation.id, ids),
    heardAt(installation.id, ids),
  ]);
  const changes: RemoteChange[] = page.results.flatMap((record) => {
    const shape = readEntityShape(kind, record, { isCompanyOptional: true });
    const modifiedAt = typeof record.modifiedAt === "string" ? record.modifiedAt : null;
    if (!modifiedAt) return [];
    const isHeldLive = copy.get(record._id)?.isLive === true;
    return [
      {
        id: record._id,
        modifiedAt,
        isRelevant: isHeldLive || (shape.ok && isInScope(kind, shape.record, scope)),
      },
    ];
  });
  const versions = new Map([...copy].map(([id, row]) => [id, row.version]));
  const found = findMissedChanges({
    changes,
    copyVersions: versions,
    heardAt: heard,
    settledBefore: new Date(now.getTime() - GAP_GRACE_MS),
    previousCheckedThrough: start,
  });
  return { missed: found.missed, checkedThrough: found.checkedThrough, hasMore: page.cursorNext !== null };
}

/** The newest OfficeRnD version our copy holds for a resource (the first check starts there). */
async function newestInCopy(kind: EntityKind, installationId: string): Promise<string | null> {
  const args = { where: { installationId }, _max: { remoteModifiedAt: true } } as const;
  const aggregate =
    kind === "members"
      ? await db.member.aggregate(args)
      : kind === "companies"
        ? await db.company.aggregate(args)
        : await db.syncedLocation.aggregate(args);
  return aggregate._max.remoteModifiedAt?.toISOString() ?? null;
}

async function copyVersions(
  kind: EntityKind,
  installationId: string,
  ids: string[],
): Promise<Map<string, { version: string | null; isLive: boolean }>> {
  if (ids.length === 0) return new Map();
  const args = {
    where: { installationId, remoteId: { in: ids } },
    select: { remoteId: true, remoteModifiedAt: true, deletedAt: true },
  } as const;
  const rows =
    kind === "members"
      ? await db.member.findMany(args)
      : kind === "companies"
        ? await db.company.findMany(args)
        : await db.syncedLocation.findMany(args);
  return new Map(
    rows.map((row) => [
      row.remoteId,
      { version: row.remoteModifiedAt?.toISOString() ?? null, isLive: row.deletedAt === null },
    ]),
  );
}

async function heardAt(installationId: string, ids: string[]): Promise<Map<string, Date>> {
  if (ids.length === 0) return new Map();
  const groups = await db.webhookEvent.groupBy({
    by: ["objectId"],
    where: { installationId, objectId: { in: ids } },
    _max: { receivedAt: true },
  });
  return new Map(
    groups.flatMap((group) =>
      group.objectId && group._max.receivedAt ? [[group.objectId, group._max.receivedAt] as const] : [],
    ),
  );
}

/** The maintenance job's share: installations due a check, a bounded batch per minute, a few at a time. */
export async function reconcileDueInstallations(now = new Date()): Promise<ReconcileResult[]> {
  const minutes = env().WEBHOOK_RECONCILE_MINUTES;
  if (minutes === 0) return [];
  const cutoff = new Date(now.getTime() - minutes * 60_000);
  const due = await db.installation.findMany({
    where: {
      status: "active",
      // A new connection is first checked one interval after Connect (its webhooks were just created).
      OR: [
        { webhookHealth: null, connectedAt: { lt: cutoff } },
        { webhookHealth: { lastCheckAt: { lt: cutoff } } },
      ],
    },
    orderBy: { connectedAt: "asc" },
    select: { id: true },
    take: DUE_BATCH,
  });
  const results: ReconcileResult[] = [];
  for (const { id } of due) {
    try {
      results.push(await reconcileInstallationWebhooks(id, { now }));
    } catch (error) {
      log.error({ installationId: id, err: describe(error) }, "webhook reconciliation failed");
    }
  }
  return results;
}

function describe(error: unknown): string {
  return errorSummary(error).slice(0, 300);
}
