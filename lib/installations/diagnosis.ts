import "server-only";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { adminActionFor, AppError, type ErrorAnswer } from "@/lib/errors";
import { checkInstallationHealth } from "@/lib/installations/check-installation-health";
import { clip, diagnose, FAILURES, type Diagnosis, type Facts } from "@/lib/installations/diagnosis-table";
import type { SignedInstallation } from "@/lib/installations/resolve-signed-installation";
import { log } from "@/lib/log";

// What is wrong with an installation and what the admin does about it (issue 13 part 4), read from our
// own tables: the healthcheck answers it to OfficeRnD, the configuration page's header shows it with a
// one-click fix. Reading it costs one query on the healthy path (plus one more when reconnect is needed).

type RuntimeRow = {
  locationName: string | null;
  since: Date | null;
  reason: string | null;
  webhooksMissingSince: Date | null;
};

/**
 * The enabled location whose sync has been failing longest (its latest finished run failed; "since" is
 * its first failure after its last success), and whether our webhook subscription is missing.
 */
async function loadRuntimeFacts(
  installationId: string,
): Promise<Pick<Facts, "syncFailure" | "webhooksMissingSince">> {
  const rows = await db.$queryRaw<RuntimeRow[]>`
    WITH latest AS (
      SELECT DISTINCT ON (r."locationId") r."locationId", r."status", r."error"
      FROM "SyncRun" r
      WHERE r."installationId" = ${installationId} AND r."locationId" IS NOT NULL AND r."status" IN ('succeeded', 'failed')
      ORDER BY r."locationId", r."finishedAt" DESC NULLS LAST, r."createdAt" DESC
    ),
    failing AS (
      SELECT il."name" AS "locationName", l."error" AS "reason", (
        SELECT min(f."finishedAt") FROM "SyncRun" f
        WHERE f."installationId" = ${installationId} AND f."locationId" = l."locationId" AND f."status" = 'failed'
          AND f."finishedAt" > COALESCE((SELECT max(s."finishedAt") FROM "SyncRun" s
            WHERE s."installationId" = ${installationId} AND s."locationId" = l."locationId" AND s."status" = 'succeeded'), '-infinity')
      ) AS "since"
      FROM latest l
      JOIN "InstallationLocation" il ON il."installationId" = ${installationId} AND il."locationId" = l."locationId" AND il."syncEnabled"
      WHERE l."status" = 'failed'
      ORDER BY "since" ASC NULLS LAST
      LIMIT 1
    )
    SELECT f."locationName", f."since", f."reason",
      (SELECT h."subscriptionMissingSince" FROM "WebhookHealth" h WHERE h."installationId" = ${installationId}) AS "webhooksMissingSince"
    FROM (SELECT 1) AS one LEFT JOIN failing f ON true`;
  const row = rows[0];
  return {
    syncFailure:
      row?.locationName && row.since
        ? { locationName: row.locationName, since: row.since, reason: row.reason }
        : null,
    webhooksMissingSince: row?.webhooksMissingSince ?? null,
  };
}

async function reconnectSince(installationId: string): Promise<Date | null> {
  const event = await db.auditEvent.findFirst({
    where: { installationId, action: "installation.reconnect_required" },
    orderBy: { createdAt: "desc" },
    select: { createdAt: true },
  });
  return event?.createdAt ?? null;
}

/** The configuration page's view: no call to OfficeRnD, only what our tables know. */
export async function diagnoseInstallation(installationId: string): Promise<Diagnosis | null> {
  const installation = await db.installation.findUnique({
    where: { id: installationId },
    select: { status: true, removedAt: true },
  });
  if (!installation) return null;
  return diagnose({
    status: installation.status,
    removedAt: installation.removedAt,
    reconnectSince:
      installation.status === "reconnect_required" ? await reconnectSince(installationId) : null,
    officeRndUnavailableAt: null,
    ...(installation.status === "active"
      ? await loadRuntimeFacts(installationId)
      : { syncFailure: null, webhooksMissingSince: null }),
    reconcileMinutes: env().WEBHOOK_RECONCILE_MINUTES,
  });
}

export function diagnosisResponse(
  diagnosis: Pick<Diagnosis, "status" | "error" | "message" | "action">,
): Response {
  const headers: Record<string, string> = {
    "Cache-Control": "no-store",
    ...(diagnosis.status === 503 ? { "Retry-After": "30" } : {}),
  };
  return Response.json(
    { error: diagnosis.error, message: diagnosis.message, action: diagnosis.action },
    { status: diagnosis.status, headers },
  );
}

/**
 * The healthcheck's answer for a verified installation: `{ accountName }`, or the diagnosis. The token
 * check (which may refresh, so may call OfficeRnD) decides first; then sync and webhook health.
 */
export async function healthcheckAnswer(
  installation: SignedInstallation,
  now = new Date(),
): Promise<Response> {
  let accountName: string;
  try {
    ({ accountName } = await checkInstallationHealth(installation));
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    if (error.code === "unavailable") {
      // OfficeRnD, the token endpoint or our own database: the admin waits either way.
      const facts = FAILURES.officernd_unavailable;
      return diagnosisResponse({
        status: 503,
        error: facts.error,
        message: facts.message(factsAt(now)),
        action: facts.action,
      });
    }
    if (error.code !== "reconnect_required") throw error;
    // The token store has just recorded when and why OfficeRnD refused us: report that.
    const found = await diagnoseInstallation(installation.id).catch(() => null);
    if (found?.failure === "reconnect_required") return diagnosisResponse(found);
    throw error;
  }
  const runtime = await loadRuntimeFacts(installation.id);
  const found = diagnose({
    status: "active",
    removedAt: null,
    reconnectSince: null,
    officeRndUnavailableAt: null,
    ...runtime,
    reconcileMinutes: env().WEBHOOK_RECONCILE_MINUTES,
  });
  if (found) {
    log.info({ installationId: installation.id, failure: found.failure }, "healthcheck reports a problem");
    return diagnosisResponse(found);
  }
  return Response.json({ accountName }, { headers: { "Cache-Control": "no-store" } });
}

function factsAt(now: Date): Facts {
  return {
    status: "active",
    removedAt: null,
    reconnectSince: null,
    officeRndUnavailableAt: now,
    syncFailure: null,
    webhooksMissingSince: null,
    reconcileMinutes: 0,
  };
}

/**
 * The healthcheck's renderer for every refusal the signed-request pipeline answers (signature, unknown
 * organisation, rate limit, method, outage): the flat error with the table's `action` for its code.
 */
export function healthcheckError({ status, body, headers }: ErrorAnswer): Response {
  return Response.json(
    { error: body.error, message: clip(body.message), action: adminActionFor(body.error) },
    { status, headers: { "Cache-Control": "no-store", ...headers } },
  );
}
