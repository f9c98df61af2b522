import { findOrganization, profile, resetContext, type EmulatorContext } from "../context";
import type { Organization } from "../data/dataset";
import { nestError } from "../http/errors";
import { faultSchema, describeFault } from "../http/faults";
import { sendJson } from "../http/responses";
import type { Router } from "../http/router";
import { startConnect } from "../integrations/connection";
import { addIntegration, editIntegrationLocations, removeIntegration } from "../integrations/lifecycle";
import type { Integration } from "../integrations/integration-store";
import { performSignedCall, signedPartnerUrl } from "../integrations/signed-call";
import { DEMO_APP } from "../oauth/app-registry";
import { checkRequestedScopes } from "../oauth/scopes";
import { tokenResponse } from "../oauth/token-store";
import {
  authorizationCodeSchema,
  clockSchema,
  configSchema,
  integrationLocationsSchema,
  integrationSchema,
  parseBody,
  resetSchema,
  signedCallSchema,
  tokenSchema,
} from "./schemas";
import { integrationView, stateView } from "./views";

// Control API for tests: reset, state, config, clock, integrations, codes, tokens, signed calls, faults.
// Data mutations, activity, webhooks, deliveries and snapshots live in control-data-routes.ts.

export function organizationOr404(context: EmulatorContext, slug: string): Organization {
  const organization = findOrganization(context, slug);
  if (!organization) throw nestError(404, `Organization ${slug} not found`);
  return organization;
}

export function integrationOr404(context: EmulatorContext, id: string): Integration {
  const integration = context.state.integrations.get(id);
  if (!integration) throw nestError(404, `Integration ${id} not found`);
  return integration;
}

export function registerControlRoutes(router: Router<EmulatorContext>): void {
  router.on("POST", "/_emulator/reset", async ({ req, res, context }) => {
    resetContext(context, await parseBody(req, resetSchema));
    sendJson(res, 200, stateView(context));
  });
  router.on("GET", "/_emulator/state", ({ res, context }) => sendJson(res, 200, stateView(context)));

  router.on("GET", "/_emulator/config", ({ res, context }) => sendJson(res, 200, context.config));
  router.on("POST", "/_emulator/config", async ({ req, res, context }) => {
    context.config = { ...context.config, ...(await parseBody(req, configSchema)) };
    sendJson(res, 200, context.config);
  });

  const clockView = (context: EmulatorContext) => ({
    now: context.clock.nowIso(),
    offsetSeconds: context.clock.offsetSeconds,
  });
  router.on("GET", "/_emulator/clock", ({ res, context }) => sendJson(res, 200, clockView(context)));
  router.on("POST", "/_emulator/clock", async ({ req, res, context }) => {
    context.clock.shift((await parseBody(req, clockSchema)).seconds);
    sendJson(res, 200, clockView(context));
  });

  router.on("GET", "/_emulator/integrations", ({ res, url, context }) => {
    const org = url.searchParams.get("org") ?? undefined;
    sendJson(
      res,
      200,
      context.state.integrations.list(org).map((integration) => integrationView(context, integration)),
    );
  });
  router.on("POST", "/_emulator/integrations", async ({ req, res, context }) => {
    const body = await parseBody(req, integrationSchema);
    const integration = addIntegration(context, {
      organization: organizationOr404(context, body.org),
      locationIds: body.locations ?? [],
    });
    sendJson(res, 201, integrationView(context, integration));
  });
  router.on("GET", "/_emulator/integrations/:id", ({ res, params, context }) =>
    sendJson(res, 200, integrationView(context, integrationOr404(context, params.id ?? ""))),
  );
  // The admin edits the integration's locations (empty = all); the next signed call carries them.
  router.on("PATCH", "/_emulator/integrations/:id", async ({ req, res, params, context }) => {
    const integration = integrationOr404(context, params.id ?? "");
    const { locations, settingsAppClientId } = await parseBody(req, integrationLocationsSchema);
    if (settingsAppClientId !== undefined) integration.settingsAppClientId = settingsAppClientId;
    if (locations !== undefined)
      editIntegrationLocations(context, {
        integration,
        organization: organizationOr404(context, integration.orgSlug),
        locationIds: locations,
      });
    sendJson(res, 200, integrationView(context, integration));
  });
  router.on("DELETE", "/_emulator/integrations/:id", ({ res, params, context }) => {
    const integration = integrationOr404(context, params.id ?? "");
    const { event, deliveries } = removeIntegration(context, integration);
    sendJson(res, 200, {
      integration: integrationView(context, integration),
      eventId: event.id,
      deliveryIds: deliveries.map((delivery) => delivery._id),
    });
  });

  router.on("POST", "/_emulator/authorization-codes", async ({ req, res, context }) => {
    const integration = integrationOr404(
      context,
      (await parseBody(req, authorizationCodeSchema)).integrationId,
    );
    sendJson(res, 201, {
      ...startConnect(context, integration),
      org: integration.orgSlug,
      integrationId: integration._id,
      locations: integration.locations,
    });
  });

  // Mints a token without the token endpoint's rate limit, for tests that only need API access.
  router.on("POST", "/_emulator/tokens", async ({ req, res, context }) => {
    const body = await parseBody(req, tokenSchema);
    organizationOr404(context, body.org);
    const check = checkRequestedScopes({
      requested: body.scope,
      appPermissions: context.config.appPermissions,
      issuesFlexScopes: profile(context).issuesFlexScopes,
    });
    if (!check.ok) throw nestError(400, check.description);
    const grant = {
      clientId: DEMO_APP.clientId,
      orgSlug: body.org,
      integrationId: body.integrationId ?? null,
      scopes: check.scopes,
    };
    const issued = context.state.tokens.issueTokens({
      grant,
      lifetimeSeconds: context.config.tokenLifetime,
      refreshLifetimeSeconds: context.config.refreshTokenLifetime,
    });
    sendJson(res, 201, tokenResponse({ grant, issued, lifetimeSeconds: context.config.tokenLifetime }));
  });

  router.on("POST", "/_emulator/signed-call", async ({ req, res, context }) => {
    const { integrationId, ...options } = await parseBody(req, signedCallSchema);
    const integration = integrationOr404(context, integrationId);
    const input = { ...options, integration, organization: organizationOr404(context, integration.orgSlug) };
    if (input.target === "configure") return sendJson(res, 200, { url: signedPartnerUrl(context, input) });
    sendJson(res, 200, await performSignedCall(context, input));
  });

  // Requests answered as OfficeRnD since the last reset or clear (counts by route and status).
  router.on("GET", "/_emulator/requests", ({ res, context }) =>
    sendJson(res, 200, context.state.requests.view()),
  );
  router.on("DELETE", "/_emulator/requests", ({ res, context }) =>
    sendJson(res, 200, { cleared: context.state.requests.clear() }),
  );

  router.on("GET", "/_emulator/faults", ({ res, context }) =>
    sendJson(res, 200, context.faults.list().map(describeFault)),
  );
  router.on("POST", "/_emulator/faults", async ({ req, res, context }) =>
    sendJson(res, 201, describeFault(context.faults.add(await parseBody(req, faultSchema)))),
  );
  router.on("DELETE", "/_emulator/faults", ({ res, context }) => {
    const cleared = context.faults.list().length;
    context.faults.clear();
    sendJson(res, 200, { cleared });
  });
}
