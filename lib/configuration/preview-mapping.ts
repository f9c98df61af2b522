import "server-only";
import type { ConfigureViewer } from "@/lib/configuration/access";
import {
  parseFieldMapping,
  type FieldMapping,
  type PartnerCompany,
  type PartnerMember,
} from "@/lib/sync/field-mapping";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { partnerRecord } from "@/lib/sync/mapping";
import { sqlPool } from "@/lib/sql-pool";

// The mapping form's preview: a few real records of the location as the partner platform holds them
// now (saved mapping) and as the proposed mapping would make them. Reads our copy only.

const CANDIDATES = 50;

export type MappingSample<T> = { remoteId: string; before: T; after: T; changedFields: string[] };
export type MappingPreview = {
  members: MappingSample<PartnerMember>[];
  companies: MappingSample<PartnerCompany>[];
};

type Candidate = { remoteId: string; data: Record<string, unknown>; companyName: string | null };

/** Up to `limit` members and companies each, records the change affects first. */
export async function previewFieldMapping({
  viewer,
  locationId,
  proposed,
  limit = 3,
}: {
  viewer: ConfigureViewer;
  locationId: string;
  proposed: FieldMapping;
  limit?: number;
}): Promise<MappingPreview> {
  const location = await db.installationLocation.findUnique({
    where: { installationId_locationId: { installationId: viewer.installationId, locationId } },
    select: { settings: true },
  });
  if (!location) throw new AppError("not_found", "This location is not part of the installation.");
  const saved = parseFieldMapping(location.settings);
  const [members, companies] = await Promise.all([
    candidates("members", viewer.installationId, locationId),
    candidates("companies", viewer.installationId, locationId),
  ]);
  return {
    members: pick(
      members.map((row) => sample<PartnerMember>("members", row, saved, proposed)),
      limit,
    ),
    companies: pick(
      companies.map((row) => sample<PartnerCompany>("companies", row, saved, proposed)),
      limit,
    ),
  };
}

async function candidates(
  kind: "members" | "companies",
  installationId: string,
  locationId: string,
): Promise<Candidate[]> {
  const sql =
    kind === "members"
      ? `SELECT m."remoteId", m."data", c."data"->>'name' AS "companyName" FROM "Member" m
         LEFT JOIN "Company" c ON c."installationId" = m."installationId" AND c."remoteId" = m."companyId" AND c."deletedAt" IS NULL
         WHERE m."installationId" = $1 AND m."locationId" = $2 AND m."deletedAt" IS NULL ORDER BY m."name", m."remoteId" LIMIT $3`
      : `SELECT "remoteId", "data", NULL AS "companyName" FROM "Company"
         WHERE "installationId" = $1 AND "locationId" = $2 AND "deletedAt" IS NULL ORDER BY "name", "remoteId" LIMIT $3`;
  return (await sqlPool().query<Candidate>(sql, [installationId, locationId, CANDIDATES])).rows;
}

function sample<T extends PartnerMember | PartnerCompany>(
  kind: "members" | "companies",
  row: Candidate,
  saved: FieldMapping,
  proposed: FieldMapping,
): MappingSample<T> {
  const companyId = typeof row.data.company === "string" ? row.data.company : null;
  const companyNames = companyId && row.companyName ? new Map([[companyId, row.companyName]]) : undefined;
  const before = partnerRecord(kind, row.data, { fieldMapping: saved, companyNames }) as T;
  const after = partnerRecord(kind, row.data, { fieldMapping: proposed, companyNames }) as T;
  const changedFields = Object.keys(after).filter(
    (key) => JSON.stringify(before[key as keyof T]) !== JSON.stringify(after[key as keyof T]),
  );
  return { remoteId: row.remoteId, before, after, changedFields };
}

function pick<T extends { changedFields: string[] }>(samples: T[], limit: number): T[] {
  const changed = samples.filter((each) => each.changedFields.length > 0);
  return [...changed, ...samples.filter((each) => each.changedFields.length === 0)].slice(
    0,
    Math.max(0, limit),
  );
}
