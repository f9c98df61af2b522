import "server-only";
import type { ConfigureViewer } from "@/lib/configuration/access";
import { parseFieldMapping } from "@/lib/sync/field-mapping";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { createOrgApi, type OrgApiDeps as ApiClientDeps } from "@/lib/officernd/org-api";
import type { Page, RecordKind, RecordOf } from "@/lib/officernd/v2-schemas";
import { companyNames } from "@/lib/sync/company-names";
import { isMassDeletion, REVIEW_SAMPLE_SIZE } from "@/lib/sync/delete-guard";
import { parseLocationSettings } from "@/lib/sync/location-settings";
import { toPageRows, type EntityKind, type SyncRow } from "@/lib/sync/mapping";
import { pageQuery, phasesFor, type ListPhase } from "@/lib/sync/plan";
import { sqlPool } from "@/lib/sql-pool";

// "Preview sync" (issue 13 part 2): a full pass of one location that writes nothing. It reads every
// page as a full run would and compares with our copy: what would be created, updated and deleted,
// with a few names of each, and whether the mass-delete breaker would stop the real pass.

const TABLE: Record<EntityKind, string> = {
  members: `"Member"`,
  companies: `"Company"`,
  locations: `"SyncedLocation"`,
};
/** A preview reads at most this many pages (50 records each) before answering with what it saw. */
export const PREVIEW_MAX_PAGES = 400;

export type PreviewEntry = { kind: EntityKind; remoteId: string; name: string };
export type SyncPreview = {
  locationId: string;
  /** False when the page limit stopped the walk: deletions are then not counted. */
  isComplete: boolean;
  read: number;
  created: number;
  updated: number;
  deleted: number;
  unchanged: number;
  live: number;
  wouldNeedReview: boolean;
  samples: { created: PreviewEntry[]; updated: PreviewEntry[]; deleted: PreviewEntry[] };
};

type Stored = { remoteId: string; version: string | null; isDeleted: boolean; name: string };

export async function previewSync({
  viewer,
  locationId,
  maxPages = PREVIEW_MAX_PAGES,
  client: clientDeps,
}: {
  viewer: ConfigureViewer;
  locationId: string;
  maxPages?: number;
  client?: ApiClientDeps;
}): Promise<SyncPreview> {
  const installation = await db.installation.findUnique({
    where: { id: viewer.installationId },
    select: {
      status: true,
      orgSlug: true,
      regionUrl: true,
      locations: { where: { locationId }, select: { settings: true } },
    },
  });
  const location = installation?.locations[0];
  if (!installation || !location)
    throw new AppError("not_found", "This location is not part of the installation.");
  if (installation.status !== "active") throw new AppError("conflict", "This installation is not connected.");
  const settings = parseLocationSettings(location.settings);
  const fieldMapping = parseFieldMapping(location.settings);
  const client = createOrgApi(
    {
      installationId: viewer.installationId,
      orgSlug: installation.orgSlug,
      regionUrl: installation.regionUrl,
    },
    clientDeps,
  );
  const scope = new Map([[locationId, settings]]);

  const preview: SyncPreview = {
    locationId,
    isComplete: true,
    read: 0,
    created: 0,
    updated: 0,
    deleted: 0,
    unchanged: 0,
    live: 0,
    wouldNeedReview: false,
    samples: { created: [], updated: [], deleted: [] },
  };
  const seen: Record<EntityKind, Set<string>> = {
    members: new Set(),
    companies: new Set(),
    locations: new Set(),
  };
  const add = (bucket: "created" | "updated" | "deleted", entry: PreviewEntry) => {
    preview[bucket] += 1;
    if (preview.samples[bucket].length < REVIEW_SAMPLE_SIZE) preview.samples[bucket].push(entry);
  };
  let pages = 0;
  const phases = phasesFor("full", settings).filter((phase): phase is ListPhase => phase !== "sweep");
  walk: for (const phase of phases) {
    let cursor: string | null = null;
    do {
      if (pages >= maxPages) {
        preview.isComplete = false;
        break walk;
      }
      const page: Page<RecordOf<RecordKind>> = await client.listPage(
        phase,
        pageQuery({ phase, kind: "full", locationId, settings, since: null, cursor }),
      );
      pages++;
      const names =
        phase === "members" && fieldMapping.member.company === "company.name"
          ? await companyNames(viewer.installationId, page.results.map(companyOf))
          : undefined;
      const rows = toPageRows(phase, page.results, scope, new Date().toISOString(), {
        fieldMapping,
        companyNames: names,
      });
      const stored = await storedRows(phase, viewer.installationId, rows);
      for (const row of rows) {
        seen[phase].add(row.remoteId);
        const before = stored.get(row.remoteId);
        const isLiveBefore = before !== undefined && !before.isDeleted;
        if (row.deletedAt !== null) {
          if (isLiveBefore) add("deleted", { kind: phase, remoteId: row.remoteId, name: before.name });
          else preview.unchanged++;
        } else if (!isLiveBefore) add("created", { kind: phase, remoteId: row.remoteId, name: row.name });
        else if (isNewer(row, before))
          add("updated", { kind: phase, remoteId: row.remoteId, name: row.name });
        else preview.unchanged++;
      }
      preview.read += rows.length + page.invalid;
      cursor = page.cursorNext;
    } while (cursor !== null);
  }

  // What a complete pass did not list is what its sweep would delete (every kind, as the sweep does).
  for (const kind of ["locations", "companies", "members"] as const) {
    const live = await liveRows(kind, viewer.installationId, locationId);
    preview.live += live.length;
    if (!preview.isComplete) continue;
    for (const row of live)
      if (!seen[kind].has(row.remoteId)) add("deleted", { kind, remoteId: row.remoteId, name: row.name });
  }
  const { SYNC_DELETE_GUARD_PERCENT: percent, SYNC_DELETE_GUARD_MAX: max } = env();
  preview.wouldNeedReview = isMassDeletion({
    wouldDelete: preview.deleted,
    live: preview.live,
    guard: { percent, max },
  });
  return preview;
}

function companyOf(record: RecordOf<RecordKind>): string | null {
  return (record as { company?: string | null }).company ?? null;
}

function isNewer(row: SyncRow, stored: Stored): boolean {
  if (row.remoteModifiedAt === null || stored.version === null) return true;
  return Date.parse(row.remoteModifiedAt) > Date.parse(`${stored.version.replace(" ", "T")}Z`);
}

async function storedRows(
  kind: EntityKind,
  installationId: string,
  rows: readonly SyncRow[],
): Promise<Map<string, Stored>> {
  if (rows.length === 0) return new Map();
  const { rows: stored } = await sqlPool().query<Stored>(
    `SELECT "remoteId", "remoteModifiedAt"::text AS "version", "deletedAt" IS NOT NULL AS "isDeleted", "name"
     FROM ${TABLE[kind]} WHERE "installationId" = $1 AND "remoteId" = ANY($2::text[])`,
    [installationId, rows.map((row) => row.remoteId)],
  );
  return new Map(stored.map((row) => [row.remoteId, row]));
}

async function liveRows(
  kind: EntityKind,
  installationId: string,
  locationId: string,
): Promise<{ remoteId: string; name: string }[]> {
  const scopeColumn = kind === "locations" ? `"remoteId"` : `"locationId"`;
  const { rows } = await sqlPool().query<{ remoteId: string; name: string }>(
    `SELECT "remoteId", "name" FROM ${TABLE[kind]} WHERE "installationId" = $1 AND ${scopeColumn} = $2 AND "deletedAt" IS NULL ORDER BY "name"`,
    [installationId, locationId],
  );
  return rows;
}
