import "server-only";
import { randomUUID } from "node:crypto";
import { decryptSecretCached } from "@/lib/crypto/secrets";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { AppError, errorResponse } from "@/lib/errors";
import { sendWebhookEventJob } from "@/lib/jobs/boss";
import { errorSummary, addLogContext, log } from "@/lib/log";
import { metrics } from "@/lib/metrics";
import { verifyWebhook } from "@/lib/officernd/signature";
import { dedupeKeyFor, MAX_WEBHOOK_BYTES, webhookEnvelopeSchema } from "@/lib/webhooks/envelope";
import { readBodyWithLimit } from "@/lib/webhooks/read-body";

// Receiving a webhook from OfficeRnD (spec §3b): verify the signature over the raw body with the
// installation's webhook secrets, persist the event (deduplicated), answer 200 at once and leave the
// work to a job. The event is committed before the 200, so an acknowledged event is never lost; if
// Postgres is down the route answers 503 and OfficeRnD tries again.

export type ReceiveResult = { status: "received"; eventId: string; isDuplicate: boolean };

const RECEIVED = { status: "received" } as const;

export async function receiveWebhook({
  installationId,
  request,
  now = new Date(),
}: {
  installationId: string;
  request: Request;
  now?: Date;
}): Promise<Response> {
  // Nothing is read from the body until the path names an existing installation (issue 12 item 7).
  // One statement for the installation and its subscriptions (a Prisma include would be two).
  const rows = await db.$queryRaw<{ webhookId: string | null; secretEnc: string | null }[]>`
    SELECT w."id" AS "webhookId", w."secretEnc" FROM "Installation" i LEFT JOIN "WebhookSubscription" w ON w."installationId" = i."id"
    WHERE i."id" = ${installationId}`;
  if (rows.length === 0) return errorResponse("not_found", "No such installation.");
  const webhooks = rows.flatMap((row) =>
    row.webhookId && row.secretEnc ? [{ id: row.webhookId, secretEnc: row.secretEnc }] : [],
  );

  const body = await readBodyWithLimit(request, MAX_WEBHOOK_BYTES);
  if (!body.ok) return errorResponse("payload_too_large", "The webhook body is larger than 256 KiB.");

  const secrets = webhooks.flatMap((webhook) => {
    try {
      return [decryptSecretCached(webhook.secretEnc, `webhook:${webhook.id}:secret`)];
    } catch {
      log.error({ installationId, webhookId: webhook.id }, "webhook secret cannot be decrypted");
      return [];
    }
  });
  const config = env();
  const verified = verifyWebhook(body.bytes, request.headers.get("officernd-signature"), secrets, {
    now: Math.floor(now.getTime() / 1000),
    toleranceSeconds: config.SIGNATURE_TOLERANCE_SECONDS,
    futureToleranceSeconds: config.SIGNATURE_FUTURE_TOLERANCE_SECONDS,
  });
  if (!verified.ok) {
    metrics.signatureFailures.inc({ kind: "webhook", reason: verified.reason });
    log.warn({ installationId, reason: verified.reason }, "webhook signature rejected");
    return errorResponse(
      "invalid_signature",
      `The officernd-signature header is ${verified.reason === "mismatch" ? "not valid for this installation" : verified.reason}.`,
    );
  }

  // Authentic but unreadable (a proxy's HTML error page, a field of the wrong type): answered 400 so
  // OfficeRnD may deliver it again, logged with the offending path, never stored or acted on.
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(body.bytes));
  } catch {
    const start = new TextDecoder().decode(body.bytes.slice(0, 1));
    log.warn(
      {
        installationId,
        path: "(body)",
        problem: start === "<" ? "HTML, not JSON" : "not JSON",
        bytes: body.bytes.byteLength,
      },
      "webhook body refused",
    );
    return errorResponse("invalid_body", "The webhook body is not JSON.");
  }
  const envelope = webhookEnvelopeSchema.safeParse(json);
  if (!envelope.success) {
    const issue = envelope.error.issues[0];
    const path = issue && issue.path.length > 0 ? issue.path.join(".") : "(body)";
    log.warn({ installationId, path, problem: issue?.message }, "webhook body refused");
    return errorResponse(
      "invalid_body",
      `The webhook body is not an OfficeRnD event: ${path}: ${issue?.message ?? "invalid"}.`.slice(0, 200),
    );
  }

  const eventId = randomUUID();
  const dedupeKey = dedupeKeyFor({
    installationId,
    envelope: envelope.data,
    rawBody: body.bytes,
    timestamp: verified.timestamp,
  });
  const inserted = await db.$queryRaw<{ id: string }[]>`
    INSERT INTO "WebhookEvent" ("id", "installationId", "dedupeKey", "eventType", "objectId", "payload", "signedAt", "receivedAt")
    VALUES (${eventId}, ${installationId}, ${dedupeKey}, ${envelope.data.eventType}, ${envelope.data.data.object._id}, ${JSON.stringify(json)}::jsonb,
            (${new Date(verified.timestamp * 1000).toISOString()}::timestamptz AT TIME ZONE 'UTC'), (${now.toISOString()}::timestamptz AT TIME ZONE 'UTC'))
    ON CONFLICT ("dedupeKey") DO NOTHING
    RETURNING "id"`;
  addLogContext({ installationId, eventId: inserted[0]?.id ?? dedupeKey });
  metrics.webhooksReceived.inc({
    event_type: envelope.data.eventType,
    outcome: inserted.length === 0 ? "duplicate" : "stored",
  });
  if (inserted.length === 0) return Response.json(RECEIVED, { status: 200 });

  // The event is committed: that is what the 200 promises. The job is sent without holding the answer
  // (the first send in a process starts pg-boss); if it is lost, maintenance redrives the event.
  sendWebhookEventJob({ eventId }).catch((error: unknown) => {
    log.error({ installationId, eventId, err: errorSummary(error) }, "webhook job not sent");
  });
  return Response.json(RECEIVED, { status: 200 });
}

const INSTALLATION_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Installation ids are UUIDs: anything else is answered 404 before the database or the body is touched. */
export function assertInstallationIdShape(value: string): void {
  if (!INSTALLATION_ID.test(value)) throw new AppError("not_found", "No such installation.");
}
