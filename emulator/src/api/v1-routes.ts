import type { EmulatorContext } from "../context";
import { nestError } from "../http/errors";
import { readJsonBody } from "../http/request";
import { sendJson } from "../http/responses";
import type { Router } from "../http/router";
import { markSecretFetched } from "../integrations/connection";
import { integrationApiShape } from "../integrations/integration-store";
import { ACCESS } from "../oauth/scopes";
import { webhookV1Shape } from "../webhooks/subscription-store";
import { authorizeApiRequest } from "./authorize";
import { parseWebhookBody } from "./webhook-body";
import { createSubscription } from "./v2-webhooks";

// API v1 routes the partner flow uses (spec §2 steps 2–4): organisation (with regionInfo), the
// integration with its secret, webhook registration (answers an array), and locations (bare array).

const BASE = "/api/v1/organizations/:slug";

export function registerV1Routes(router: Router<EmulatorContext>): void {
  router.on("GET", BASE, ({ req, res, params, context }) => {
    const { organization } = authorizeApiRequest({ req, context, slug: params.slug ?? "", access: ACCESS.organization });
    sendJson(res, 200, {
      _id: organization._id,
      name: organization.name,
      slug: organization.slug,
      createdAt: organization.createdAt,
      regionInfo: { regionUrl: context.publicUrl },
    });
  });

  router.on("GET", `${BASE}/integrations/:id`, ({ req, res, url, params, context }) => {
    const { organization } = authorizeApiRequest({ req, context, slug: params.slug ?? "", access: ACCESS.integrations });
    const integration = context.state.integrations.get(params.id ?? "");
    const appClientId = url.searchParams.get("appClientId");
    if (!integration || integration.orgSlug !== organization.slug || integration.appClientId !== appClientId) throw nestError(404, "Integration not found");
    markSecretFetched(context, integration);
    sendJson(res, 200, integrationApiShape(integration));
  });

  router.on("POST", `${BASE}/webhooks`, async ({ req, res, params, context }) => {
    const { organization, token } = authorizeApiRequest({ req, context, slug: params.slug ?? "", access: ACCESS.webhooksCreate });
    const input = parseWebhookBody(await readJsonBody(req), { enabledField: "enabled" });
    // v1 answers with an array of the created webhooks; the official sample reads `[0].secret`.
    sendJson(res, 201, [webhookV1Shape(createSubscription(context, { organization, token, input }))]);
  });

  router.on("GET", `${BASE}/locations`, ({ req, res, params, context }) => {
    const { organization } = authorizeApiRequest({ req, context, slug: params.slug ?? "", access: ACCESS.locations });
    sendJson(res, 200, [...organization.locations.scan({}, { direction: "forward" })]);
  });
}
