import "server-only";
import { z } from "zod";
import { requireAccountMember } from "@/lib/dashboard/account-scope";
import { db } from "@/lib/db";
import { REFUSED_CALLS_KEPT } from "@/lib/installations/refused-calls";
import { NEAR_MISS_TEXT, type NearMiss } from "@/lib/officernd/signature-diagnosis";

// The refused signed calls people may see: on the configuration page those of its installation (and
// of its slug that no installation could be named for), on the dashboard those of the account's
// installations. Fingerprints of other installations' secrets are never shown, only counted.

export type RefusedCallView = {
  id: string;
  at: Date;
  route: string;
  reason: string;
  explanation: string;
  clockSkewSeconds: number | null;
  candidatesTried: number;
  /** Fingerprints of the viewer's own installations among the candidates. */
  ownFingerprints: string[];
  /** A known form the signature fitted, in words ("signed with the parameters in another order"). */
  wouldMatch: string | null;
  /** The signed JSON with every value redacted, keys in received order. */
  signedShape: string;
  installationId: string | null;
};

const candidatesSchema = z.array(z.object({ installationId: z.string(), fingerprint: z.string() })).catch([]);

const REASONS: Record<string, string> = {
  missing: "No signature was sent.",
  malformed: "The signature (or the query) is not in OfficeRnD's format.",
  stale: "The signature's timestamp is too old: the request was replayed, delayed, or a clock is wrong.",
  future: "The signature's timestamp is in the future: a clock is wrong.",
  mismatch: "The signature does not fit any secret of this organisation's installations.",
  unknown_slug: "No installation holds this organisation.",
  no_slug: "The request names no organisation.",
  removed: "The integration was removed; connect it again from OfficeRnD.",
  locations_mismatch: "OfficeRnD sent other locations than the installation and its integration record hold.",
  locations_unconfirmed: "OfficeRnD sent other locations and could not be asked to confirm them.",
  no_locations: "The request has no locations parameter.",
};

type Row = Awaited<ReturnType<typeof readRows>>[number];

/** For the configuration page (the caller has authorised the viewer for `installationId`). */
export async function listRefusedCallsForInstallation({
  installationId,
}: {
  installationId: string;
}): Promise<RefusedCallView[]> {
  const installation = await db.installation.findUnique({
    where: { id: installationId },
    select: { orgSlug: true },
  });
  if (!installation) return [];
  const rows = await readRows({
    OR: [{ installationId }, { installationId: null, orgSlug: installation.orgSlug }],
  });
  return rows.map((row) => toView(row, new Set([installationId])));
}

/** For the dashboard: the account's installations, for a member of the account. */
export async function listRefusedCallsForAccount({
  userId,
  accountId,
}: {
  userId: string;
  accountId: string;
}): Promise<RefusedCallView[]> {
  await requireAccountMember({ userId, accountId });
  const installations = await db.installation.findMany({
    where: { accountId },
    select: { id: true, orgSlug: true },
  });
  if (installations.length === 0) return [];
  const ids = installations.map((installation) => installation.id);
  const slugs = [...new Set(installations.map((installation) => installation.orgSlug))];
  const rows = await readRows({
    OR: [{ installationId: { in: ids } }, { installationId: null, orgSlug: { in: slugs } }],
  });
  return rows.map((row) => toView(row, new Set(ids)));
}

function readRows(where: NonNullable<Parameters<typeof db.refusedSignedCall.findMany>[0]>["where"]) {
  return db.refusedSignedCall.findMany({
    where,
    orderBy: { createdAt: "desc" },
    take: REFUSED_CALLS_KEPT,
    select: {
      id: true,
      createdAt: true,
      route: true,
      reason: true,
      clockSkewSeconds: true,
      candidates: true,
      nearMiss: true,
      signedKeys: true,
      installationId: true,
    },
  });
}

function toView(row: Row, own: Set<string>): RefusedCallView {
  const candidates = candidatesSchema.parse(row.candidates);
  const nearMiss =
    row.nearMiss && row.nearMiss in NEAR_MISS_TEXT ? NEAR_MISS_TEXT[row.nearMiss as NearMiss] : null;
  return {
    id: row.id,
    at: row.createdAt,
    route: ROUTE_NAMES[row.route] ?? row.route,
    reason: row.reason,
    explanation: REASONS[row.reason] ?? "The request was refused.",
    clockSkewSeconds: row.clockSkewSeconds,
    candidatesTried: candidates.length,
    ownFingerprints: candidates
      .filter((candidate) => own.has(candidate.installationId))
      .map((candidate) => candidate.fingerprint),
    wouldMatch: nearMiss,
    signedShape: `{${row.signedKeys.map((key) => `${JSON.stringify(key)}:"…"`).join(",")}}`,
    installationId: row.installationId && own.has(row.installationId) ? row.installationId : null,
  };
}

const ROUTE_NAMES: Record<string, string> = {
  "officernd-healthcheck": "Healthcheck",
  "officernd-sync": "Sync",
  configure: "Configuration",
};
