import {
  ENTITY_KINDS,
  collectionOf,
  createRecord,
  removeRecord,
  updateRecord,
  type EntityKind,
} from "../activity/mutations";
import { generateActivity } from "../activity/generate-activity";
import type { EmulatorContext } from "../context";
import { nestError } from "../http/errors";
import { sendJson, streamNdjson } from "../http/responses";
import type { Router } from "../http/router";
import { activitySchema, parseBody, recordFieldsSchema, webhookDropsSchema } from "./schemas";
import { organizationOr404 } from "./control-routes";

// Control API for data: record mutations (each emits its webhook), generated activity, webhook
// subscriptions, events and deliveries, and NDJSON snapshots to compare with the app's database.

function kindOr404(kind: string | undefined): EntityKind {
  if (!ENTITY_KINDS.includes(kind as EntityKind))
    throw nestError(404, `Unknown kind ${kind ?? ""}; use ${ENTITY_KINDS.join(", ")}`);
  return kind as EntityKind;
}

function matches(value: string | undefined, wanted: string | null): boolean {
  return wanted === null || value === wanted;
}

export function registerControlDataRoutes(router: Router<EmulatorContext>): void {
  const RECORD = "/_emulator/orgs/:slug/:kind";
  router.on("POST", RECORD, async ({ req, res, params, context }) => {
    const organization = organizationOr404(context, params.slug ?? "");
    const kind = kindOr404(params.kind);
    sendJson(
      res,
      201,
      createRecord(context, { organization, kind, fields: await parseBody(req, recordFieldsSchema) }),
    );
  });
  router.on("GET", `${RECORD}/:id`, ({ res, params, context }) => {
    const record = collectionOf(organizationOr404(context, params.slug ?? ""), kindOr404(params.kind)).get(
      params.id ?? "",
    );
    if (!record) throw nestError(404, "Record not found");
    sendJson(res, 200, record);
  });
  router.on("PATCH", `${RECORD}/:id`, async ({ req, res, params, context }) => {
    const organization = organizationOr404(context, params.slug ?? "");
    const fields = await parseBody(req, recordFieldsSchema);
    const record = updateRecord(context, {
      organization,
      kind: kindOr404(params.kind),
      id: params.id ?? "",
      fields,
    });
    if (!record) throw nestError(404, "Record not found");
    sendJson(res, 200, record);
  });
  router.on("DELETE", `${RECORD}/:id`, ({ res, params, context }) => {
    const removed = removeRecord(context, {
      organization: organizationOr404(context, params.slug ?? ""),
      kind: kindOr404(params.kind),
      id: params.id ?? "",
    });
    if (!removed) throw nestError(404, "Record not found");
    sendJson(res, 200, removed);
  });

  router.on("POST", "/_emulator/activity", async ({ req, res, context }) => {
    const body = await parseBody(req, activitySchema);
    const changes = generateActivity(context, {
      organization: organizationOr404(context, body.org),
      count: body.count ?? 6,
      locationIds: body.locations,
    });
    sendJson(res, 200, { changes });
  });

  router.on("GET", "/_emulator/webhooks", ({ res, url, context }) =>
    sendJson(res, 200, context.state.webhooks.list(url.searchParams.get("org") ?? undefined)),
  );

  // Deletes a subscription behind the partner's back (as an admin could in OfficeRnD's settings).
  router.on("DELETE", "/_emulator/webhooks/:id", ({ res, params, context }) => {
    const webhook = context.state.webhooks.find(params.id ?? "");
    if (!webhook) throw nestError(404, "Webhook not found");
    context.state.webhooks.collection(webhook.orgSlug).remove(webhook._id);
    sendJson(res, 200, webhook);
  });

  // Lose webhook deliveries: the next `count` (omitted: every one until DELETE) are never sent.
  const dropsView = (context: EmulatorContext) => ({
    remaining: Number.isFinite(context.state.webhookDrops) ? context.state.webhookDrops : "all",
  });
  router.on("GET", "/_emulator/webhook-drops", ({ res, context }) => sendJson(res, 200, dropsView(context)));
  router.on("POST", "/_emulator/webhook-drops", async ({ req, res, context }) => {
    const { count } = await parseBody(req, webhookDropsSchema);
    context.state.webhookDrops = count ?? Infinity;
    sendJson(res, 200, dropsView(context));
  });
  router.on("DELETE", "/_emulator/webhook-drops", ({ res, context }) => {
    context.state.webhookDrops = 0;
    sendJson(res, 200, dropsView(context));
  });

  router.on("GET", "/_emulator/events", ({ res, url, context }) => {
    const [org, eventType] = [url.searchParams.get("org"), url.searchParams.get("eventType")];
    sendJson(
      res,
      200,
      context.state.dispatcher.events
        .all()
        .filter((event) => matches(event.orgSlug, org) && matches(event.eventType, eventType)),
    );
  });

  router.on("GET", "/_emulator/deliveries", ({ res, url, context }) => {
    const wanted = (name: string) => url.searchParams.get(name);
    const deliveries = context.state.dispatcher.deliveries
      .all()
      .filter(
        (delivery) =>
          matches(delivery.orgSlug, wanted("org")) && matches(delivery.eventType, wanted("eventType")),
      )
      .filter(
        (delivery) =>
          matches(delivery.status, wanted("status")) && matches(delivery.webhookId, wanted("webhookId")),
      );
    sendJson(res, 200, deliveries);
  });

  // Waits until no delivery is pending (or timeoutMs passes), so tests need not poll.
  router.on("POST", "/_emulator/deliveries/idle", async ({ res, url, context }) => {
    const timeoutMs = Number(url.searchParams.get("timeoutMs") ?? 10_000);
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
    const idle = await Promise.race([context.state.dispatcher.idle().then(() => true as const), timedOut]);
    clearTimeout(timer);
    sendJson(res, 200, { idle });
  });

  // NDJSON snapshot, one record per line in _id order; `kind` is required, `location` optional.
  router.on("GET", "/_emulator/data/:slug", async ({ res, url, params, context }) => {
    const organization = organizationOr404(context, params.slug ?? "");
    const kind = url.searchParams.get("kind");
    if (!kind) throw nestError(400, `kind is required: ${ENTITY_KINDS.join(", ")}`);
    const location = url.searchParams.get("location");
    const filter = location && kind !== "locations" ? { locations: new Set([location]) } : {};
    await streamNdjson(
      res,
      collectionOf(organization, kindOr404(kind)).scan(filter, { direction: "forward" }),
    );
  });
}
