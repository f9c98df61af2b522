import "server-only";
import { db } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { LocationSettings } from "@/lib/sync/location-settings";

// What a settings change would take out of the copy, counted before it is saved (issue 17 item 2), and
// the removal itself once the admin confirmed it. Unticking Members or Companies removes every held
// record of that kind at the location; dropping a member status removes the members in it. Turning a
// location off removes nothing by itself: its data is kept, as it is on Disconnect.

type Client = Pick<typeof db, "$queryRaw" | "$executeRaw">;

export type RemovalReason =
  | { kind: "members"; reason: "members_unticked"; count: number }
  | { kind: "companies"; reason: "companies_unticked"; count: number }
  | { kind: "members"; reason: "status_dropped"; status: string; count: number };

export type SettingsRemovals = {
  members: number;
  companies: number;
  total: number;
  /** Why, one entry per unticked kind or dropped status (with its own count), largest first. */
  reasons: RemovalReason[];
  /** With the location off: the held records that stay (all of them, unless the settings also narrow). */
  kept: { members: number; companies: number } | null;
};

export type ProposedSettings = { syncEnabled: boolean; settings: LocationSettings };

/** Counts what saving `proposed` for the location would remove from the copy. Reads only. */
export async function countSettingsRemovals({
  installationId,
  locationId,
  proposed,
  client = db,
}: {
  installationId: string;
  locationId: string;
  proposed: ProposedSettings;
  client?: Client;
}): Promise<SettingsRemovals> {
  const held = await heldByStatus({ installationId, locationId, client });
  const memberCount = held.members.reduce((sum, row) => sum + row.count, 0);
  // Settings saved with the location off still narrow what it holds: counted (and removed) the same.
  const { settings } = proposed;
  const reasons: RemovalReason[] = [];
  if (!settings.syncMembers && memberCount > 0)
    reasons.push({ kind: "members", reason: "members_unticked", count: memberCount });
  if (settings.syncMembers) {
    for (const row of held.members) {
      if (!(settings.memberStatuses as string[]).includes(row.status ?? "")) {
        reasons.push({
          kind: "members",
          reason: "status_dropped",
          status: row.status ?? "",
          count: row.count,
        });
      }
    }
  }
  if (!settings.syncCompanies && held.companies > 0)
    reasons.push({ kind: "companies", reason: "companies_unticked", count: held.companies });
  reasons.sort((a, b) => b.count - a.count);
  const members = reasons
    .filter((reason) => reason.kind === "members")
    .reduce((sum, reason) => sum + reason.count, 0);
  const companies = reasons
    .filter((reason) => reason.kind === "companies")
    .reduce((sum, reason) => sum + reason.count, 0);
  const kept = proposed.syncEnabled
    ? null
    : { members: memberCount - members, companies: held.companies - companies };
  return { members, companies, total: members + companies, reasons, kept };
}

export type StatusCount = { status: string; count: number };

/**
 * Live members we hold at the location per OfficeRnD status, most first ("… these statuses (52 held)").
 * Members outside the synced statuses are not stored, so those statuses count 0.
 */
export async function countMembersByStatus({
  installationId,
  locationId,
}: {
  installationId: string;
  locationId: string;
}): Promise<StatusCount[]> {
  const { members } = await heldByStatus({ installationId, locationId, client: db });
  return members.map((row) => ({ status: row.status ?? "", count: row.count }));
}

async function heldByStatus({
  installationId,
  locationId,
  client,
}: {
  installationId: string;
  locationId: string;
  client: Client;
}): Promise<{ members: { status: string | null; count: number }[]; companies: number }> {
  const [members, [companies]] = await Promise.all([
    client.$queryRaw<{ status: string | null; count: number }[]>`
      SELECT "status", count(*)::int AS "count" FROM "Member"
      WHERE "installationId" = ${installationId} AND "locationId" = ${locationId} AND "deletedAt" IS NULL
      GROUP BY "status" ORDER BY count(*) DESC, "status"`,
    client.$queryRaw<{ count: number }[]>`
      SELECT count(*)::int AS "count" FROM "Company"
      WHERE "installationId" = ${installationId} AND "locationId" = ${locationId} AND "deletedAt" IS NULL`,
  ]);
  return { members, companies: companies?.count ?? 0 };
}

/**
 * Applies a confirmed removal: held records outside `settings` become tombstones. Run it in the transaction
 * that saves the settings, so the count the admin confirmed and the change are one.
 */
export async function removeOutOfSettings({
  installationId,
  locationId,
  settings,
  now,
  client,
}: {
  installationId: string;
  locationId: string;
  settings: LocationSettings;
  now: Date;
  client: Prisma.TransactionClient;
}): Promise<{ members: number; companies: number }> {
  const stamp = now.toISOString();
  const statuses = settings.syncMembers ? (settings.memberStatuses as string[]) : [];
  const members = await client.$executeRaw`
    UPDATE "Member" SET "name" = '', "email" = NULL, "status" = NULL, "mapped" = NULL,
      "data" = jsonb_build_object('_id', "remoteId", 'modifiedAt', "data"->'modifiedAt'),
      "deletedAt" = (${stamp}::timestamptz AT TIME ZONE 'UTC'), "updatedAt" = (${stamp}::timestamptz AT TIME ZONE 'UTC')
    WHERE "installationId" = ${installationId} AND "locationId" = ${locationId} AND "deletedAt" IS NULL
      AND ("status" IS NULL OR NOT ("status" = ANY(${statuses}::text[])))`;
  const companies = settings.syncCompanies
    ? 0
    : await client.$executeRaw`
    UPDATE "Company" SET "name" = '', "email" = NULL, "status" = NULL, "mapped" = NULL,
      "data" = jsonb_build_object('_id', "remoteId", 'modifiedAt', "data"->'modifiedAt'),
      "deletedAt" = (${stamp}::timestamptz AT TIME ZONE 'UTC'), "updatedAt" = (${stamp}::timestamptz AT TIME ZONE 'UTC')
    WHERE "installationId" = ${installationId} AND "locationId" = ${locationId} AND "deletedAt" IS NULL`;
  return { members, companies };
}
