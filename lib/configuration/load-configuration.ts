import "server-only";
import { createHash } from "node:crypto";
import type { ConfigureViewer } from "@/lib/configuration/access";
import { parseFieldMapping, type FieldMapping } from "@/lib/sync/field-mapping";
import { officeRndReturnUrl, tokenState, type TokenState } from "@/lib/installations/token-state";
import {
  API_GENERATION_COLUMNS,
  apiGenerationInfoOf,
  describeApiGeneration,
} from "@/lib/officernd/api-generation-store";
import { describeSyncScope } from "@/lib/installations/describe-locations";
import { summarizeInstallation } from "@/lib/dashboard/list-installations";
import { loadEndings, type Ending } from "@/lib/audit/load-endings";
import { describeProgress, type ProgressView } from "@/lib/configuration/describe-progress";
import { SUCCEEDED_RUN_STATUSES } from "@/lib/sync/run-status";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { InstallationStatus } from "@/lib/generated/prisma/client";
import { parseLocationSettings, type LocationSettings } from "@/lib/sync/location-settings";
import { listRecentRuns, type SyncRunView } from "@/lib/sync/runs";
import { countMembersByStatus, type StatusCount } from "@/lib/sync/settings-removals";

// Everything the configuration page shows, for a viewer authorised for the installation.

const RUNS_PER_LOCATION = 5;
const EVENTS_PER_LOCATION = 5;

export type EventRow = {
  id: string;
  eventType: string;
  status: string;
  receivedAt: Date;
  error: string | null;
};

export type LocationCard = {
  locationId: string;
  name: string;
  /** Effective: the location's own switch and the installation's. */
  isSyncing: boolean;
  settings: LocationSettings;
  fieldMapping: FieldMapping;
  lastSyncAt: Date | null;
  /** What we hold for this location now (live rows, not tombstones). */
  counts: { members: number; companies: number };
  /** Members we hold per OfficeRnD status (others are not stored), for the status filter's numbers. */
  memberStatusCounts: StatusCount[];
  /**
   * What OfficeRnD listed for this location in its last successful full pass (the run's total less the
   * location itself); null until one succeeded.
   */
  atOfficeRnd: { records: number; countedAt: Date } | null;
  progress: ProgressView | null;
  runs: SyncRunView[];
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
    /** "All locations" or the covered locations' names: tells two instances apart. */
    locationsLabel: string;
    /** "On for Shoreditch", "Off for every location", "Off: the integration is disconnected". */
    syncScope: string;
    connectedAt: Date;
    removedAt: Date | null;
    /** Who ended it and when; null while connected. */
    ending: Ending | null;
    regionUrl: string;
  };
  /** Changes whenever what the server renders outside the live parts changes (status, switches, settings). */
  fingerprint: string;
  returnUrl: string;
  health: {
    token: TokenState;
    tokenExpiresAt: Date | null;
    lastHealthcheckAt: Date | null;
    lastSuccessfulSyncAt: Date | null;
    /** Which API generation the installation uses and why: "OfficeRnD API: v2 (API v2 answered)". */
    officeRndApi: string;
    /** `isActive` false once disconnected: stored subscriptions then no longer deliver anything to us. */
    webhooks: {
      isActive: boolean;
      subscriptions: number;
      eventTypes: string[];
      lastEventAt: Date | null;
      failedEvents: number;
    };
  };
  locations: LocationCard[];
};

export async function loadConfiguration({
  viewer,
  now = new Date(),
}: {
  viewer: ConfigureViewer;
  now?: Date;
}): Promise<Configuration> {
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
      ...API_GENERATION_COLUMNS,
      account: { select: { name: true } },
      webhooks: { select: { eventTypes: true } },
      locations: {
        select: { locationId: true, name: true, syncEnabled: true, settings: true, lastSyncAt: true },
        orderBy: { name: "asc" },
      },
    },
  });
  if (!row) throw new AppError("not_found", "No such installation.");

  const [lastSuccess, lastEvent, failedEvents, locations, endings] = await Promise.all([
    db.syncRun.findFirst({
      where: { installationId: id, status: { in: [...SUCCEEDED_RUN_STATUSES] } },
      orderBy: { finishedAt: "desc" },
      select: { finishedAt: true },
    }),
    db.webhookEvent.findFirst({
      where: { installationId: id },
      orderBy: { receivedAt: "desc" },
      select: { receivedAt: true },
    }),
    db.webhookEvent.count({ where: { installationId: id, status: "failed" } }),
    loadCards(
      id,
      row.locations.map((location) => ({
        ...location,
        isSyncing: row.status !== "removed" && row.syncEnabled && location.syncEnabled,
      })),
      now,
    ),
    row.status === "removed" ? loadEndings({ installationIds: [id], viewerActor: viewer.actor }) : null,
  ]);
  const isRemoved = row.status === "removed";
  return {
    installation: {
      ...summarizeInstallation({ ...row, id }),
      accountName: row.account.name,
      syncScope: describeSyncScope({ installationSyncEnabled: row.syncEnabled, isRemoved, locations }),
      connectedAt: row.connectedAt,
      removedAt: row.removedAt,
      ending:
        endings?.get(id) ??
        (row.removedAt ? { label: "Disconnected", at: row.removedAt, isRemovedInOfficeRnd: false } : null),
      regionUrl: row.regionUrl,
    },
    fingerprint: fingerprintOf({ status: row.status, syncEnabled: row.syncEnabled, locations }),
    returnUrl: officeRndReturnUrl(row.regionUrl),
    health: {
      token: tokenState({
        status: row.status,
        tokenExpiresAt: row.tokenExpiresAt,
        hasRefreshToken: row.refreshTokenEnc !== null,
        now,
      }),
      tokenExpiresAt: row.tokenExpiresAt,
      lastHealthcheckAt: row.lastHealthcheckAt,
      lastSuccessfulSyncAt: latestOf(
        lastSuccess?.finishedAt ?? null,
        ...row.locations.map((location) => location.lastSyncAt),
      ),
      officeRndApi: describeApiGeneration(apiGenerationInfoOf(row)),
      webhooks: {
        isActive: !isRemoved && row.webhooks.length > 0,
        subscriptions: row.webhooks.length,
        eventTypes: [...new Set(row.webhooks.flatMap((webhook) => webhook.eventTypes))].sort(),
        lastEventAt: lastEvent?.receivedAt ?? null,
        failedEvents,
      },
    },
    locations,
  };
}

/**
 * One location after the other: the page is polled while open, and reading every card at once took
 * the whole connection pool for a four-location installation.
 */
async function loadCards(
  installationId: string,
  locations: LocationRow[],
  now: Date,
): Promise<LocationCard[]> {
  const cards: LocationCard[] = [];
  for (const location of locations) cards.push(await loadCard(installationId, location, now));
  return cards;
}

type LocationRow = {
  locationId: string;
  name: string;
  isSyncing: boolean;
  settings: unknown;
  lastSyncAt: Date | null;
};

async function loadCard(installationId: string, location: LocationRow, now: Date): Promise<LocationCard> {
  const where = { installationId, locationId: location.locationId, deletedAt: null };
  const [members, companies, memberStatusCounts, runs, events, lastFull] = await Promise.all([
    db.member.count({ where }),
    db.company.count({ where }),
    countMembersByStatus({ installationId, locationId: location.locationId }),
    listRecentRuns(installationId, location.locationId, RUNS_PER_LOCATION),
    // Member and company events carry their location in the document (spec §3c: data.object).
    db.webhookEvent.findMany({
      where: {
        installationId,
        payload: { path: ["data", "object", "location"], equals: location.locationId },
      },
      orderBy: { receivedAt: "desc" },
      take: EVENTS_PER_LOCATION,
      select: { id: true, eventType: true, status: true, receivedAt: true, error: true },
    }),
    db.syncRun.findFirst({
      where: {
        installationId,
        locationId: location.locationId,
        kind: "full",
        status: "succeeded",
        total: { not: null },
      },
      orderBy: { finishedAt: "desc" },
      select: { total: true, finishedAt: true, createdAt: true },
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
    memberStatusCounts,
    atOfficeRnd:
      lastFull?.total != null
        ? { records: Math.max(lastFull.total - 1, 0), countedAt: lastFull.finishedAt ?? lastFull.createdAt }
        : null,
    progress: runs[0] ? describeProgress(runs[0], now) : null,
    runs,
    events,
  };
}

function fingerprintOf({
  status,
  syncEnabled,
  locations,
}: {
  status: string;
  syncEnabled: boolean;
  locations: LocationCard[];
}): string {
  const shape = [
    status,
    syncEnabled,
    locations.map((card) => [card.locationId, card.isSyncing, card.settings, card.fieldMapping]),
  ];
  return createHash("sha256").update(JSON.stringify(shape)).digest("base64url").slice(0, 16);
}

function latestOf(...dates: (Date | null)[]): Date | null {
  return dates.reduce<Date | null>((best, date) => (date && (!best || date > best) ? date : best), null);
}
