import { newId, type EmulatorContext } from "../context";
import type { Organization } from "../data/dataset";
import { paginate } from "../data/paginate";
import { nestError } from "../http/errors";
import { readJsonBody } from "../http/request";
import { sendJson } from "../http/responses";
import type { Router } from "../http/router";
import { ACCESS } from "../oauth/scopes";
import type { AccessToken } from "../oauth/token-store";
import { webhookV2Shape, type WebhookSubscription } from "../webhooks/subscription-store";
import { authorizeApiRequest } from "./authorize";
import { parseListQuery } from "./list-query";
import type { WebhookInput } from "./webhook-body";
import { parseWebhookBody } from "./webhook-body";

// API v2 webhooks (spec §3f, [REF-webhooks]): list (paginated), create (single object with secret),
// get by id, delete (answers with the deleted object).

const BASE = "/api/v2/organizations/:slug/webhooks";

/** Registers a subscription for the token's client; shared by API v1 and v2. */
export function createSubscription(
  context: EmulatorContext,
  { organization, token, input }: { organization: Organization; token: AccessToken; input: WebhookInput },
): WebhookSubscription {
  return context.state.webhooks.create({
    _id: newId(context),
    orgSlug: organization.slug,
    ...input,
    createdAt: context.clock.nowIso(),
    clientId: token.clientId,
    integrationId: token.integrationId,
  });
}

export function registerV2WebhookRoutes(router: Router<EmulatorContext>): void {
  router.on("GET", BASE, ({ req, res, url, params, context }) => {
    const { organization } = authorizeApiRequest({
      req,
      res,
      version: "v2",
      context,
      slug: params.slug ?? "",
      access: ACCESS.webhooksRead,
    });
    const query = parseListQuery(url.searchParams, { hasLocation: false });
    const page = paginate({
      collection: context.state.webhooks.collection(organization.slug),
      filter: query.filter,
      limit: query.limit,
      cursor: query.cursor,
    });
    sendJson(res, 200, { ...page, results: page.results.map(webhookV2Shape) });
  });

  router.on("POST", BASE, async ({ req, res, params, context }) => {
    const { organization, token } = authorizeApiRequest({
      req,
      res,
      version: "v2",
      context,
      slug: params.slug ?? "",
      access: ACCESS.webhooksCreate,
    });
    const input = parseWebhookBody(await readJsonBody(req), { enabledField: "isEnabled" });
    sendJson(res, 201, webhookV2Shape(createSubscription(context, { organization, token, input })));
  });

  router.on("GET", `${BASE}/:id`, ({ req, res, params, context }) => {
    const { organization } = authorizeApiRequest({
      req,
      res,
      version: "v2",
      context,
      slug: params.slug ?? "",
      access: ACCESS.webhooksRead,
    });
    const webhook = context.state.webhooks.collection(organization.slug).get(params.id ?? "");
    if (!webhook) throw nestError(404, "Webhook not found");
    sendJson(res, 200, webhookV2Shape(webhook));
  });

  router.on("DELETE", `${BASE}/:id`, ({ req, res, params, context }) => {
    const { organization } = authorizeApiRequest({
      req,
      res,
      version: "v2",
      context,
      slug: params.slug ?? "",
      access: ACCESS.webhooksDelete,
    });
    const removed = context.state.webhooks.collection(organization.slug).remove(params.id ?? "");
    if (!removed) throw nestError(404, "Webhook not found");
    sendJson(res, 200, webhookV2Shape(removed));
  });
}
