import "server-only";
import { z } from "zod";
import { decryptSecret, encryptSecret } from "@/lib/crypto/secrets";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import type { FailureReason } from "@/lib/connect/failures";
import { isFailureReason } from "@/lib/connect/failures";
import { stateMatches } from "@/lib/connect/state";

// PendingConnection rows: one per Connect popup, bound to its browser by the state cookie's hash,
// valid for 10 minutes, used once. The tokens and secret fetched before the admin confirms wait
// here, encrypted, and are wiped as soon as the row is used, fails or expires.

export const PENDING_TTL_MS = 10 * 60_000;
// Outlives the 10 minutes by far: a popup left open longer must be told "expired", not "belongs to
// another window".
export const STATE_COOKIE_MAX_AGE_SECONDS = 24 * 60 * 60;
const KEEP_FINISHED_MS = 7 * 24 * 60 * 60_000;

const credentialsSchema = z.object({
  accessToken: z.string(),
  refreshToken: z.string().nullable(),
  scope: z.string().nullable(),
  expiresAt: z.iso.datetime(),
  secret: z.string(),
});
export type PendingCredentials = z.infer<typeof credentialsSchema>;

const locationNamesSchema = z.array(z.object({ id: z.string(), name: z.string() }));
export type LocationName = z.infer<typeof locationNamesSchema>[number];

const PENDING_COLUMNS = {
  id: true,
  stateHash: true,
  orgSlug: true,
  integrationId: true,
  locationsKey: true,
  orgId: true,
  orgName: true,
  regionUrl: true,
  locationNames: true,
  status: true,
  error: true,
  expiresAt: true,
} as const;

export type PendingView = {
  id: string;
  orgSlug: string;
  integrationId: string;
  locationsKey: string;
  orgId: string | null;
  orgName: string | null;
  regionUrl: string | null;
  locations: LocationName[];
  status: string;
  error: FailureReason | null;
  expiresAt: Date;
};

/** Where OfficeRnD wants the popup to end (spec §2 step 5), at the organisation's region. */
export function returnUrlFor(regionUrl: string | null | undefined): string {
  return `${(regionUrl ?? env().OFFICERND_APP_URL).replace(/\/+$/, "")}/connect/external-integration/return`;
}

export async function createPending(input: {
  stateHash: string;
  orgSlug: string;
  integrationId: string;
  locationsKey: string;
  now?: Date;
}): Promise<string> {
  const now = input.now ?? new Date();
  const row = await db.pendingConnection.create({
    data: {
      stateHash: input.stateHash,
      orgSlug: input.orgSlug,
      integrationId: input.integrationId,
      locationsKey: input.locationsKey,
      status: "exchanging",
      expiresAt: new Date(now.getTime() + PENDING_TTL_MS),
    },
    select: { id: true },
  });
  return row.id;
}

export async function markPendingReady(
  id: string,
  input: {
    locationsKey?: string;
    orgId: string;
    orgName: string;
    regionUrl: string;
    locations: LocationName[];
    credentials: PendingCredentials;
  },
): Promise<void> {
  await db.pendingConnection.update({
    where: { id },
    data: {
      status: "ready",
      // Only the integration's own list could say (no `locations` parameter).
      ...(input.locationsKey === undefined ? {} : { locationsKey: input.locationsKey }),
      orgId: input.orgId,
      orgName: input.orgName,
      regionUrl: input.regionUrl,
      locationNames: input.locations,
      credentialsEnc: encryptSecret(JSON.stringify(input.credentials), `pending:${id}:credentials`),
    },
  });
}

/** Records why the popup failed (what the page shows) and wipes the credentials. */
export async function markPendingFailed(
  id: string,
  reason: FailureReason,
  extra: { regionUrl?: string | null } = {},
): Promise<void> {
  await db.pendingConnection.update({
    where: { id },
    data: {
      status: reason === "cancelled" ? "cancelled" : "failed",
      error: reason,
      credentialsEnc: null,
      consumedAt: new Date(),
      ...(extra.regionUrl ? { regionUrl: extra.regionUrl } : {}),
    },
  });
}

function toView(
  row: { locationNames: unknown; error: string | null } & Omit<PendingView, "locations" | "error">,
): PendingView {
  const { locationNames, error, ...rest } = row;
  return {
    ...rest,
    locations: locationNamesSchema.catch([]).parse(locationNames),
    error: isFailureReason(error) ? error : null,
  };
}

/** Whether a pending connection with this id exists (checked before a request body is read). */
export async function pendingExists(pendingId: string): Promise<boolean> {
  if (!z.uuid().safeParse(pendingId).success) return false;
  return (await db.pendingConnection.count({ where: { id: pendingId } })) === 1;
}

/**
 * The pending connection, but only for the browser holding its state cookie (constant-time check of
 * the SHA-256). Anything else is `state_mismatch`, whether the id exists or not.
 */
export async function findPendingForBrowser({
  pendingId,
  state,
}: {
  pendingId: string;
  state: string | undefined;
}): Promise<PendingView | null> {
  if (!z.uuid().safeParse(pendingId).success) return null;
  const row = await db.pendingConnection.findUnique({ where: { id: pendingId }, select: PENDING_COLUMNS });
  if (!row || !stateMatches({ state, storedHash: row.stateHash })) return null;
  const { stateHash: _stateHash, ...rest } = row;
  return toView(rest);
}

export type ClaimResult =
  | { ok: true; pending: PendingView; credentials: PendingCredentials }
  | { ok: false; reason: FailureReason; pending: PendingView | null };

/** Why a pending connection that is not `ready` cannot be used. */
export function unusableReason(pending: PendingView, now: Date): FailureReason | null {
  if (pending.status === "completed" || pending.status === "completing") return "already_used";
  if (pending.status === "failed" || pending.status === "cancelled") return pending.error ?? "already_used";
  if (pending.status !== "ready") return "already_used";
  if (pending.expiresAt <= now) return "expired";
  return null;
}

type Transition =
  { ok: true; pending: PendingView } | { ok: false; reason: FailureReason; pending: PendingView | null };

/** Moves a usable pending connection out of `ready`; of concurrent callers exactly one wins. */
async function leaveReady({
  pendingId,
  state,
  data,
}: {
  pendingId: string;
  state: string | undefined;
  data: { status: string; error?: string; credentialsEnc?: null };
}): Promise<Transition> {
  const pending = await findPendingForBrowser({ pendingId, state });
  if (!pending) return { ok: false, reason: "state_mismatch", pending: null };
  const now = new Date();
  const reason = unusableReason(pending, now);
  if (reason) return { ok: false, reason, pending };
  const moved = await db.pendingConnection.updateMany({
    where: { id: pendingId, status: "ready", consumedAt: null, expiresAt: { gt: now } },
    data: { ...data, consumedAt: now },
  });
  return moved.count === 1 ? { ok: true, pending } : { ok: false, reason: "already_used", pending };
}

/** Single use: claims the pending connection for completion and returns its decrypted credentials. */
export async function claimPending({
  pendingId,
  state,
}: {
  pendingId: string;
  state: string | undefined;
}): Promise<ClaimResult> {
  const claimed = await leaveReady({ pendingId, state, data: { status: "completing" } });
  if (!claimed.ok) return claimed;
  const row = await db.pendingConnection.findUniqueOrThrow({
    where: { id: pendingId },
    select: { credentialsEnc: true },
  });
  if (!row.credentialsEnc) return { ok: false, reason: "internal", pending: claimed.pending };
  const credentials = credentialsSchema.parse(
    JSON.parse(decryptSecret(row.credentialsEnc, `pending:${pendingId}:credentials`)),
  );
  return { ok: true, pending: claimed.pending, credentials };
}

/** The admin pressed Cancel: the request is used up and its credentials wiped. */
export function cancelPending({
  pendingId,
  state,
}: {
  pendingId: string;
  state: string | undefined;
}): Promise<Transition> {
  return leaveReady({
    pendingId,
    state,
    data: { status: "cancelled", error: "cancelled", credentialsEnc: null },
  });
}

/** Wipes credentials of expired rows and forgets old ones; cheap, so Connect runs it each time. */
export async function sweepPendingConnections(now = new Date()): Promise<void> {
  await db.pendingConnection.updateMany({
    where: { expiresAt: { lt: now }, credentialsEnc: { not: null } },
    data: { credentialsEnc: null },
  });
  await db.pendingConnection.deleteMany({
    where: { expiresAt: { lt: new Date(now.getTime() - KEEP_FINISHED_MS) } },
  });
}
