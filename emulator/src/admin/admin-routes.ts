import { generateActivity } from "../activity/generate-activity";
import type { EmulatorContext } from "../context";
import { integrationOr404, organizationOr404 } from "../control/control-routes";
import { integrationView } from "../control/views";
import { parseBody, signedCallSchema } from "../control/schemas";
import { readBody } from "../http/request";
import { redirect, sendHtml, sendJson } from "../http/responses";
import type { Router } from "../http/router";
import { startConnect } from "../integrations/connection";
import { addIntegration, removeIntegration } from "../integrations/lifecycle";
import { performSignedCall, signedPartnerUrl } from "../integrations/signed-call";
import { renderAdminPage } from "./admin-page";
import { renderReturnPage, type ReturnOutcome } from "./return-page";

// The admin page and the endpoints behind its buttons. Connect and Configure are GET routes opened in
// a pop-up: they issue the code / sign the URL at click time and 302 to the partner.

const ACTIVITY_PER_CLICK = 6;
const CONNECTING_COOKIE = "emulator-connecting";

function connectingIntegrationId(cookieHeader: string | undefined): string | null {
  const match = new RegExp(`(?:^|;\\s*)${CONNECTING_COOKIE}=([^;]+)`).exec(cookieHeader ?? "");
  return match?.[1] ? decodeURIComponent(match[1]) : null;
}

/** Asks the partner's healthcheck about the integration this browser was connecting, as OfficeRnD does. */
async function returnOutcome(context: EmulatorContext, integrationId: string | null): Promise<ReturnOutcome> {
  const integration = integrationId ? context.state.integrations.get(integrationId) : undefined;
  const organization = integration ? context.state.dataset.organizations.get(integration.orgSlug) : undefined;
  if (!integration || !organization) return { kind: "unknown" };
  const result = await performSignedCall(context, { integration, organization, target: "healthcheck" });
  const body = (result.body ?? {}) as { accountName?: unknown; message?: unknown };
  if (result.status === 200 && typeof body.accountName === "string")
    return { kind: "connected", accountName: body.accountName };
  return {
    kind: "not_connected",
    message: typeof body.message === "string" ? body.message : (result.error ?? `HTTP ${result.status}`),
  };
}

const adminSignedCallSchema = signedCallSchema.pick({ target: true, enabled: true });

export function registerAdminRoutes(router: Router<EmulatorContext>): void {
  router.on("GET", "/", ({ res, url, context }) => {
    const slug = url.searchParams.get("org") ?? context.state.dataset.organizations.keys().next().value ?? "";
    // `integration`: a deep link to one integration's card (the partner's Reconnect opens it).
    const highlight = url.searchParams.get("integration");
    sendHtml(res, 200, renderAdminPage(context, organizationOr404(context, slug), { highlight }));
  });

  router.on("GET", "/connect/external-integration/return", async ({ req, res, context }) => {
    sendHtml(
      res,
      200,
      renderReturnPage(await returnOutcome(context, connectingIntegrationId(req.headers.cookie))),
    );
  });

  router.on("POST", "/admin/orgs/:slug/integrations", async ({ req, res, params, context }) => {
    const organization = organizationOr404(context, params.slug ?? "");
    const form = new URLSearchParams(await readBody(req));
    const locationIds = form.get("scope") === "chosen" ? form.getAll("location") : [];
    addIntegration(context, { organization, locationIds });
    redirect(res, `/?org=${encodeURIComponent(organization.slug)}`, 303);
  });

  router.on("GET", "/admin/integrations/:id", ({ res, params, context }) =>
    sendJson(res, 200, integrationView(context, integrationOr404(context, params.id ?? ""))),
  );

  router.on("GET", "/admin/integrations/:id/connect", ({ res, params, context }) => {
    const integration = integrationOr404(context, params.id ?? "");
    // Remembers which integration this browser is connecting, for the return page.
    res.setHeader(
      "set-cookie",
      `${CONNECTING_COOKIE}=${encodeURIComponent(integration._id)}; Path=/; HttpOnly; SameSite=Lax; Max-Age=3600`,
    );
    redirect(res, startConnect(context, integration).connectUrl);
  });

  router.on("GET", "/admin/integrations/:id/configure", ({ res, params, context }) => {
    const integration = integrationOr404(context, params.id ?? "");
    redirect(
      res,
      signedPartnerUrl(context, {
        integration,
        organization: organizationOr404(context, integration.orgSlug),
        target: "configure",
      }),
    );
  });

  router.on("POST", "/admin/integrations/:id/signed-call", async ({ req, res, params, context }) => {
    const integration = integrationOr404(context, params.id ?? "");
    const body = await parseBody(req, adminSignedCallSchema);
    sendJson(
      res,
      200,
      await performSignedCall(context, {
        ...body,
        integration,
        organization: organizationOr404(context, integration.orgSlug),
      }),
    );
  });

  router.on("POST", "/admin/integrations/:id/activity", ({ res, params, context }) => {
    const integration = integrationOr404(context, params.id ?? "");
    const organization = organizationOr404(context, integration.orgSlug);
    sendJson(res, 200, {
      changes: generateActivity(context, {
        organization,
        count: ACTIVITY_PER_CLICK,
        locationIds: integration.locations,
      }),
    });
  });

  router.on("POST", "/admin/integrations/:id/remove", ({ res, params, context }) => {
    const { event } = removeIntegration(context, integrationOr404(context, params.id ?? ""));
    sendJson(res, 200, { removed: params.id, eventId: event.id });
  });
}
