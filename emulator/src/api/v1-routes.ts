import { collectionOf, type EntityKind } from "../activity/mutations";
import { regionUrlOf, type EmulatorContext } from "../context";
import { nestError } from "../http/errors";
import { readJsonBody } from "../http/request";
import { sendJson } from "../http/responses";
import type { Router } from "../http/router";
import { markSecretFetched } from "../integrations/connection";
import { integrationApiShape } from "../integrations/integration-store";
import { ACCESS, type ApiAccess } from "../oauth/scopes";
import { webhookV1Shape } from "../webhooks/subscription-store";
import { authorizeApiRequest } from "./authorize";
import type { EqualityFields } from "./list-query";
import { sendV1List } from "./v1-lists";
import { toV1Shape } from "./v1-shapes";
import { parseWebhookBody } from "./webhook-body";
import { createSubscription } from "./v2-webhooks";

// API v1 ("Hybrid", legacy): the organisation (with regionInfo), the integration with its secret,
// webhooks (create answers an array; list; delete), and locations, members and companies as bare
// arrays paged by the `rnd-cursor-next` header, records in v1's field names (`office`, `team`).

const BASE = "/api/v1/organizations/:slug";

type V1Resource = {
  kind: EntityKind;
  access: ApiAccess;
  equalityFields: EqualityFields;
  hasLocation: boolean;
  label: string;
};

const RESOURCES: V1Resource[] = [
  {
    kind: "locations",
    access: ACCESS.locations,
    equalityFields: { name: "string", code: "string" },
    hasLocation: false,
    label: "Location",
  },
  {
    kind: "members",
    access: ACCESS.members,
    equalityFields: { name: "string", email: "string", company: "string" },
    hasLocation: true,
    label: "Member",
  },
  {
    kind: "companies",
    access: ACCESS.companies,
    equalityFields: { name: "string", email: "string" },
    hasLocation: true,
    label: "Company",
  },
];

export function registerV1Routes(router: Router<EmulatorContext>): void {
  router.on("GET", BASE, ({ req, res, params, context }) => {
    const { organization } = authorizeApiRequest({
      req,
      res,
      context,
      slug: params.slug ?? "",
      access: ACCESS.organization,
    });
    sendJson(res, 200, {
      _id: organization._id,
      name: organization.name,
      slug: organization.slug,
      createdAt: organization.createdAt,
      regionInfo: { regionUrl: regionUrlOf(context) },
    });
  });

  router.on("GET", `${BASE}/integrations/:id`, ({ req, res, url, params, context }) => {
    const { organization } = authorizeApiRequest({
      req,
      res,
      context,
      slug: params.slug ?? "",
      access: ACCESS.integrations,
    });
    const integration = context.state.integrations.get(params.id ?? "");
    const appClientId = url.searchParams.get("appClientId");
    if (!integration || integration.orgSlug !== organization.slug || integration.appClientId !== appClientId)
      throw nestError(404, "Integration not found");
    markSecretFetched(context, integration);
    sendJson(res, 200, integrationApiShape(integration));
  });

  router.on("POST", `${BASE}/webhooks`, async ({ req, res, params, context }) => {
    const { organization, token } = authorizeApiRequest({
      req,
      res,
      context,
      slug: params.slug ?? "",
      access: ACCESS.webhooksCreate,
    });
    const input = parseWebhookBody(await readJsonBody(req), { enabledField: "enabled" });
    // v1 answers with an array of the created webhooks; the official sample reads `[0].secret`.
    sendJson(res, 201, [webhookV1Shape(createSubscription(context, { organization, token, input }))]);
  });

  router.on("GET", `${BASE}/webhooks`, ({ req, res, url, params, context }) => {
    const { organization } = authorizeApiRequest({
      req,
      res,
      context,
      slug: params.slug ?? "",
      access: ACCESS.webhooksRead,
    });
    const collection = context.state.webhooks.collection(organization.slug);
    sendV1List({
      res,
      params: url.searchParams,
      kind: null,
      collection,
      shape: webhookV1Shape,
      hasLocation: false,
    });
  });

  router.on("DELETE", `${BASE}/webhooks/:id`, ({ req, res, params, context }) => {
    const { organization } = authorizeApiRequest({
      req,
      res,
      context,
      slug: params.slug ?? "",
      access: ACCESS.webhooksDelete,
    });
    const removed = context.state.webhooks.collection(organization.slug).remove(params.id ?? "");
    if (!removed) throw nestError(404, "Webhook not found");
    sendJson(res, 200, webhookV1Shape(removed));
  });

  for (const resource of RESOURCES) {
    router.on("GET", `${BASE}/${resource.kind}`, ({ req, res, url, params, context }) => {
      const { organization } = authorizeApiRequest({
        req,
        res,
        context,
        slug: params.slug ?? "",
        access: resource.access,
      });
      sendV1List({
        res,
        params: url.searchParams,
        kind: resource.kind,
        collection: collectionOf(organization, resource.kind),
        shape: (record) => toV1Shape(resource.kind, record),
        equalityFields: resource.equalityFields,
        hasLocation: resource.hasLocation,
      });
    });
    router.on("GET", `${BASE}/${resource.kind}/:id`, ({ req, res, params, context }) => {
      const { organization } = authorizeApiRequest({
        req,
        res,
        context,
        slug: params.slug ?? "",
        access: resource.access,
      });
      const record = collectionOf(organization, resource.kind).get(params.id ?? "");
      if (!record) throw nestError(404, `${resource.label} not found`);
      sendJson(res, 200, toV1Shape(resource.kind, record));
    });
  }
}
