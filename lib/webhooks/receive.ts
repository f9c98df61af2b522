import "server-only";
import { randomUUID } from "node:crypto";
import { decryptSecretCached } from "@/lib/crypto/secrets";
import { env } from "@/lib/env";
import { AppError, errorResponse } from "@/lib/errors";
import {
  cacheWebhookSecrets,
  cachedWebhookSecrets,
  forgetInstallation,
} from "@/lib/installations/signed-cache";
import { sendWebhookEventJobs } from "@/lib/jobs/boss";
import { errorSummary, addLogContext, log } from "@/lib/log";
import { metrics } from "@/lib/metrics";
import { verifyWebhook, type VerifyFailureReason } from "@/lib/officernd/signature";
import { preparedStatement, sqlPool } from "@/lib/sql-pool";
import { dedupeKeyFor, MAX_WEBHOOK_BYTES, webhookEnvelopeSchema } from "@/lib/webhooks/envelope";
import { readBodyWithLimit } from "@/lib/webhooks/read-body";

// Receiving a webhook from OfficeRnD (spec §3b): verify the signature over the raw body with the
// installation's webhook secrets, persist the event (deduplicated), answer 200 at once and leave the
// work to a job. The event is committed before the 200, so an acknowledged event is never lost; if
// Postgres is down the route answers 503 and OfficeRnD tries again. The secrets are cached per process
// for ≤ 60 s (lib/installations/signed-cache.ts): a refusal is decided on fresh rows, and the insert
// checks the verifying subscription is still stored with that secret.

export type ReceiveResult = { status: "received"; eventId: string; isDuplicate: boolean };

const RECEIVED = { status: "received" } as const;
const STRICT_UTF8 = new TextDecoder("utf-8", { fatal: true });

type WebhookSecret = { id: string; secretEnc: string; secret: string };

/** Every delivery of one request reads the installation this way: cached (≤ 60 s) first, then fresh. */
type Lookup = { webhooks: WebhookSecret[]; isFromCache: boolean } | undefined;

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
  let lookup = lookUpCached(installationId, now) ?? (await lookUpFresh(installationId, now));
  if (!lookup) return errorResponse("not_found", "No such installation.");

  const body = await readBodyWithLimit(request, MAX_WEBHOOK_BYTES);
  if (!body.ok) return errorResponse("payload_too_large", "The webhook body is larger than 256 KiB.");

  const config = env();
  const verify = (webhooks: WebhookSecret[]) =>
    verifyWebhook(
      body.bytes,
      request.headers.get("officernd-signature"),
      webhooks.map((webhook) => webhook.secret),
      {
        now: Math.floor(now.getTime() / 1000),
        toleranceSeconds: config.SIGNATURE_TOLERANCE_SECONDS,
        futureToleranceSeconds: config.SIGNATURE_FUTURE_TOLERANCE_SECONDS,
      },
    );
  let verified = verify(lookup.webhooks);
  // A refusal is decided on fresh rows: the cache may predate a new subscription.
  if (!verified.ok && lookup.isFromCache) {
    lookup = await lookUpFresh(installationId, now);
    if (!lookup) return errorResponse("not_found", "No such installation.");
    verified = verify(lookup.webhooks);
  }
  if (!verified.ok) return signatureRejected(installationId, verified.reason);

  // Authentic but unreadable (a proxy's HTML error page, a field of the wrong type): answered 400 so
  // OfficeRnD may deliver it again, logged with the offending path, never stored or acted on.
  let text: string;
  let json: unknown;
  try {
    text = STRICT_UTF8.decode(body.bytes);
    json = JSON.parse(text);
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

  const dedupeKey = dedupeKeyFor({
    installationId,
    envelope: envelope.data,
    rawBody: body.bytes,
    timestamp: verified.timestamp,
  });
  const store = (webhook: WebhookSecret) =>
    storeEvent({
      installationId,
      webhook,
      dedupeKey,
      eventType: envelope.data.eventType,
      objectId: envelope.data.data.object._id,
      // The body as received: valid JSON (just parsed), and jsonb stores it exactly as a re-serialised copy.
      payload: text,
      signedAt: new Date(verified.timestamp * 1000),
      receivedAt: now,
    });
  let stored = await store(lookup.webhooks[verified.secretIndex]!);
  if (!stored.isCurrent) {
    // The subscription that verified it was replaced or deleted since it was cached (here or on another
    // instance): decide again on fresh rows, exactly as for an uncached delivery.
    forgetInstallation({ installationId });
    lookup = await lookUpFresh(installationId, now);
    if (!lookup) return errorResponse("not_found", "No such installation.");
    const again = verify(lookup.webhooks);
    if (!again.ok) return signatureRejected(installationId, again.reason);
    stored = await store(lookup.webhooks[again.secretIndex]!);
    if (!stored.isCurrent)
      return errorResponse("unavailable", "The installation is changing right now. Try again in a moment.", {
        "Retry-After": "1",
      });
  }
  addLogContext({ installationId, eventId: stored.eventId ?? dedupeKey });
  metrics.webhooksReceived.inc({
    event_type: envelope.data.eventType,
    outcome: stored.eventId === null ? "duplicate" : "stored",
  });
  // The event is committed: that is what the 200 promises. Its job is sent without holding the answer
  // (batched with the other events received meanwhile); if it is lost, maintenance redrives the event.
  if (stored.eventId !== null) queueEventJob(installationId, stored.eventId);
  return Response.json(RECEIVED, { status: 200 });
}

function signatureRejected(installationId: string, reason: VerifyFailureReason): Response {
  metrics.signatureFailures.inc({ kind: "webhook", reason });
  log.warn({ installationId, reason }, "webhook signature rejected");
  return errorResponse(
    "invalid_signature",
    `The officernd-signature header is ${reason === "mismatch" ? "not valid for this installation" : reason}.`,
  );
}

function lookUpCached(installationId: string, now: Date): Lookup {
  const webhooks = cachedWebhookSecrets<WebhookSecret[]>(installationId, now.getTime());
  return webhooks ? { webhooks, isFromCache: true } : undefined;
}

/**
 * The installation's subscriptions with their decrypted secrets, or undefined when there is no such
 * installation. One statement for both (a Prisma include would be two). An undecryptable secret is left
 * out (it could never verify) and logged.
 */
async function lookUpFresh(installationId: string, now: Date): Promise<Lookup> {
  const { rows } = await sqlPool().query<{ webhookId: string | null; secretEnc: string | null }>(
    FIND_WEBHOOK_SECRETS([installationId]),
  );
  if (rows.length === 0) return undefined;
  const webhooks = rows.flatMap((row): WebhookSecret[] => {
    if (!row.webhookId || !row.secretEnc) return [];
    try {
      const secret = decryptSecretCached(row.secretEnc, `webhook:${row.webhookId}:secret`);
      return [{ id: row.webhookId, secretEnc: row.secretEnc, secret }];
    } catch {
      log.error({ installationId, webhookId: row.webhookId }, "webhook secret cannot be decrypted");
      return [];
    }
  });
  cacheWebhookSecrets(installationId, webhooks, now.getTime());
  return { webhooks, isFromCache: false };
}

const FIND_WEBHOOK_SECRETS = preparedStatement(
  "webhook-secrets",
  `SELECT w."id" AS "webhookId", w."secretEnc" FROM "Installation" i LEFT JOIN "WebhookSubscription" w ON w."installationId" = i."id"
   WHERE i."id" = $1`,
);

/** Exported for bench:statements. */
export const STORE_EVENT = preparedStatement(
  "store-webhook-event",
  `
  WITH current AS (
    SELECT EXISTS (SELECT 1 FROM "WebhookSubscription" WHERE "id" = $1 AND "secretEnc" = $2) AS "isCurrent"
  ),
  inserted AS (
    INSERT INTO "WebhookEvent" ("id", "installationId", "dedupeKey", "eventType", "objectId", "payload", "signedAt", "receivedAt")
    SELECT $3, $4, $5, $6, $7, $8::jsonb, ($9::timestamptz AT TIME ZONE 'UTC'), ($10::timestamptz AT TIME ZONE 'UTC')
    FROM current WHERE current."isCurrent"
    ON CONFLICT ("dedupeKey") DO NOTHING
    RETURNING "id"
  )
  SELECT (SELECT "isCurrent" FROM current) AS "isCurrent", (SELECT "id" FROM inserted) AS "id"`,
);

/**
 * Inserts the event (deduplicated by its key) in one statement that also checks the subscription whose
 * secret verified it is still stored with that secret. `isCurrent: false` stores nothing.
 */
async function storeEvent(input: {
  installationId: string;
  webhook: WebhookSecret;
  dedupeKey: string;
  eventType: string;
  objectId: string;
  payload: string;
  signedAt: Date;
  receivedAt: Date;
}): Promise<{ isCurrent: boolean; eventId: string | null }> {
  const eventId = randomUUID();
  const { rows } = await sqlPool().query<{ isCurrent: boolean; id: string | null }>(
    STORE_EVENT([
      input.webhook.id,
      input.webhook.secretEnc,
      eventId,
      input.installationId,
      input.dedupeKey,
      input.eventType,
      input.objectId,
      input.payload,
      input.signedAt.toISOString(),
      input.receivedAt.toISOString(),
    ]),
  );
  const row = rows[0];
  return { isCurrent: row?.isCurrent ?? false, eventId: row?.id ?? null };
}

// The jobs of stored events, sent in batches: one send in flight at a time, and every event stored
// meanwhile goes in the next one (one insert for many events under load, no wait when idle).
const MAX_JOBS_PER_SEND = 200;
const pendingJobs: { installationId: string; eventId: string }[] = [];
let isSending = false;

function queueEventJob(installationId: string, eventId: string): void {
  pendingJobs.push({ installationId, eventId });
  if (!isSending) void sendPendingJobs();
}

async function sendPendingJobs(): Promise<void> {
  isSending = true;
  try {
    while (pendingJobs.length > 0) {
      const batch = pendingJobs.splice(0, MAX_JOBS_PER_SEND);
      try {
        await sendWebhookEventJobs(batch.map(({ eventId }) => ({ eventId })));
      } catch (error) {
        for (const { installationId, eventId } of batch)
          log.error({ installationId, eventId, err: errorSummary(error) }, "webhook job not sent");
      }
    }
  } finally {
    isSending = false;
  }
}

const INSTALLATION_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Installation ids are UUIDs: anything else is answered 404 before the database or the body is touched. */
export function assertInstallationIdShape(value: string): void {
  if (!INSTALLATION_ID.test(value)) throw new AppError("not_found", "No such installation.");
}
