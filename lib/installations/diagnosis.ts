import "server-only";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { adminActionFor, AppError, type ErrorAnswer } from "@/lib/errors";
import { checkTokenHealth } from "@/lib/installations/check-installation-health";
import { clip, diagnose, FAILURES, type Diagnosis, type Facts } from "@/lib/installations/diagnosis-table";
import { recordHealthcheck } from "@/lib/installations/record-healthcheck";
import { purgeExpiredSignatures } from "@/lib/installations/replay";
import type { SignedRequest } from "@/lib/installations/resolve-signed-installation";
import {
  RUNTIME_FACTS_COLUMNS,
  RUNTIME_FACTS_CTES,
  runtimeFactsOf,
  type RuntimeFacts,
  type RuntimeFactsRow,
} from "@/lib/installations/runtime-facts";
import { log } from "@/lib/log";

// What is wrong with an installation and what the admin does about it (issue 13 part 4), read from our
// own tables: the healthcheck answers it to OfficeRnD, the configuration page's header shows it with a
// one-click fix. The healthcheck reads it inside its one statement (plus one more read when reconnect
// is needed).

/** The enabled location whose sync has been failing longest, and whether our webhook subscription is missing. */
async function loadRuntimeFacts(installationId: string): Promise<RuntimeFacts> {
  const rows = await db.$queryRawUnsafe<RuntimeFactsRow[]>(
    `WITH ${RUNTIME_FACTS_CTES} SELECT ${RUNTIME_FACTS_COLUMNS} FROM (SELECT 1) AS one LEFT JOIN failing f ON true`,
    installationId,
  );
  return runtimeFactsOf(rows[0]);
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
 * The healthcheck's answer for a verified request: `{ accountName }`, or the diagnosis. One statement
 * records the probe and reads the installation's current state and runtime facts
 * (lib/installations/record-healthcheck.ts; it throws StaleInstallation when the installation changed
 * since the request was verified). The token check (which may refresh, so may call OfficeRnD) then
 * decides first; then sync and webhook health.
 */
export async function healthcheckAnswer(signed: SignedRequest, now = new Date()): Promise<Response> {
  const recorded = await recordHealthcheck(signed, now);
  // The ledger's expired rows are swept at most once a minute per process, never inside the answer.
  void purgeExpiredSignatures(now);
  const { installation } = recorded;
  let accountName: string;
  try {
    ({ accountName } = await checkTokenHealth(installation, { now }));
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
  const found = diagnose({
    status: "active",
    removedAt: null,
    reconnectSince: null,
    officeRndUnavailableAt: null,
    ...recorded.runtime,
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
