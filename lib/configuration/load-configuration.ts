import "server-only";
import type { ConfigureViewer } from "@/lib/configuration/access";
import { parseFieldMapping, type FieldMapping } from "@/lib/configuration/field-mapping";
import { officeRndReturnUrl, tokenState, type TokenState } from "@/lib/configuration/health";
import { describeProgress, type ProgressView } from "@/lib/configuration/progress";
import { SUCCEEDED_RUN_STATUSES } from "@/lib/configuration/run-status";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { InstallationStatus } from "@/lib/generated/prisma/client";
import { parseLocationSettings, type LocationSettings } from "@/lib/sync/location-settings";
import { listRecentRuns } from "@/lib/sync/runs";

// Everything the configuration page shows, for a viewer authorised for the installation.

const RUNS_PER_LOCATION = 5;
const EVENTS_PER_LOCATION = 5;

export type RunRow = {
  id: string;
  status: string;
  trigger: string;
  kind: string;
  created: number;
  updated: number;
  deleted: number;
  failed: number;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  error: string | null;
};

export type EventRow = { id: string; eventType: string; status: string; receivedAt: Date; error: string | null };

export type LocationCard = {
  locationId: string;
  name: string;
  /** Effective: the location's own switch and the installation's. */
  isSyncing: boolean;
  settings: LocationSettings;
  fieldMapping: FieldMapping;
  lastSyncAt: Date | null;
  counts: { members: number; companies: number };
  progress: ProgressView | null;
  runs: RunRow[];
  events: EventRow[];
};

export type Configuration = {
  installation: {
    id: string;
    orgName: string;
    orgSlug: string;
    accountName: string;
    status: InstallationStatus;
    syncEnabled: boolean;
    coversAllLocations: boolean;
    connectedAt: Date;
    removedAt: Date | null;
  };
  returnUrl: string;
  health: {
    token: TokenState;
    tokenExpiresAt: Date | null;
    lastHealthcheckAt: Date | null;
    lastSuccessfulSyncAt: Date | null;
    webhooks: { subscriptions: number; eventTypes: string[]; lastEventAt: Date | null; failedEvents: number };
  };
  locations: LocationCard[];
};

export async function loadConfiguration({ viewer, now = new Date() }: { viewer: ConfigureViewer; now?: Date }): Promise<Configuration> {
  const id = viewer.installationId;
  const row = await db.installation.findUnique({
    where: { id },
    select: {
      orgName: true,
      orgSlug: true,
      regionUrl: true,
      status: true,
      syncEnabled: true,
      locationsKey: true,
      connectedAt: true,
      removedAt: true,
      tokenExpiresAt: true,
      refreshTokenEnc: true,
      lastHealthcheckAt: true,
      account: { select: { name: true } },
      webhooks: { select: { eventTypes: true } },
      locations: { select: { locationId: true, name: true, syncEnabled: true, settings: true, lastSyncAt: true }, orderBy: { name: "asc" } },
    },
  });
  if (!row) throw new AppError("not_found", "No such installation.");

  const [lastSuccess, lastEvent, failedEvents, locations] = await Promise.all([
    db.syncRun.findFirst({
      where: { installationId: id, status: { in: [...SUCCEEDED_RUN_STATUSES] } },
      orderBy: { finishedAt: "desc" },
      select: { finishedAt: true },
    }),
    db.webhookEvent.findFirst({ where: { installationId: id }, orderBy: { receivedAt: "desc" }, select: { receivedAt: true } }),
    db.webhookEvent.count({ where: { installationId: id, status: "failed" } }),
    Promise.all(row.locations.map((location) => loadCard(id, { ...location, isSyncing: row.syncEnabled && location.syncEnabled }, now))),
  ]);
  return {
    installation: {
      id,
      orgName: row.orgName,
      orgSlug: row.orgSlug,
      accountName: row.account.name,
      status: row.status,
      syncEnabled: row.syncEnabled,
      coversAllLocations: row.locationsKey === "",
      connectedAt: row.connectedAt,
      removedAt: row.removedAt,
    },
    returnUrl: officeRndReturnUrl(row.regionUrl),
    health: {
      token: tokenState({ status: row.status, tokenExpiresAt: row.tokenExpiresAt, hasRefreshToken: row.refreshTokenEnc !== null, now }),
      tokenExpiresAt: row.tokenExpiresAt,
      lastHealthcheckAt: row.lastHealthcheckAt,
      lastSuccessfulSyncAt: latestOf(lastSuccess?.finishedAt ?? null, ...row.locations.map((location) => location.lastSyncAt)),
      webhooks: {
        subscriptions: row.webhooks.length,
        eventTypes: [...new Set(row.webhooks.flatMap((webhook) => webhook.eventTypes))].sort(),
        lastEventAt: lastEvent?.receivedAt ?? null,
        failedEvents,
      },
    },
    locations,
  };
}

type LocationRow = { locationId: string; name: string; isSyncing: boolean; settings: unknown; lastSyncAt: Date | null };

async function loadCard(installationId: string, location: LocationRow, now: Date): Promise<LocationCard> {
  const where = { installationId, locationId: location.locationId, deletedAt: null };
  const [members, companies, runs, events] = await Promise.all([
    db.member.count({ where }),
    db.company.count({ where }),
    listRecentRuns(installationId, location.locationId, RUNS_PER_LOCATION),
    // Member and company events carry their location in the document (spec §3c: data.object).
    db.webhookEvent.findMany({
      where: { installationId, payload: { path: ["data", "object", "location"], equals: location.locationId } },
      orderBy: { receivedAt: "desc" },
      take: EVENTS_PER_LOCATION,
      select: { id: true, eventType: true, status: true, receivedAt: true, error: true },
    }),
  ]);
  return {
    locationId: location.locationId,
    name: location.name,
    isSyncing: location.isSyncing,
    settings: parseLocationSettings(location.settings),
    fieldMapping: parseFieldMapping(location.settings),
    lastSyncAt: location.lastSyncAt,
    counts: { members, companies },
    progress: runs[0] ? describeProgress(runs[0], now) : null,
    runs,
    events,
  };
}

function latestOf(...dates: (Date | null)[]): Date | null {
  return dates.reduce<Date | null>((best, date) => (date && (!best || date > best) ? date : best), null);
}
