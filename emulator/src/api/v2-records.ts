import type { EmulatorContext } from "../context";
import { paginate } from "../data/paginate";
import { nestError } from "../http/errors";
import { sendJson } from "../http/responses";
import type { Router } from "../http/router";
import { markSecretFetched } from "../integrations/connection";
import { integrationApiShape } from "../integrations/integration-store";
import { ACCESS, type ApiAccess } from "../oauth/scopes";
import { collectionOf, type EntityKind } from "../activity/mutations";
import { authorizeApiRequest } from "./authorize";
import { parseListQuery, project, type EqualityFields } from "./list-query";

// API v2 record routes under /api/v2/organizations/{slug}/: locations, members, companies (list and
// single item) and integrations/{id} (spec §2 step 3, §4).

type Resource = {
  kind: EntityKind;
  access: ApiAccess;
  equalityFields: EqualityFields;
  hasLocation: boolean;
  label: string;
};

const RESOURCES: Resource[] = [
  {
    kind: "locations",
    access: ACCESS.locations,
    equalityFields: { name: "string", code: "string", isOpen: "boolean", isPublic: "boolean" },
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

const BASE = "/api/v2/organizations/:slug";

export function registerV2RecordRoutes(router: Router<EmulatorContext>): void {
  for (const resource of RESOURCES) {
    router.on("GET", `${BASE}/${resource.kind}`, ({ req, res, url, params, context }) => {
      const { organization } = authorizeApiRequest({
        req,
        res,
        version: "v2",
        context,
        slug: params.slug ?? "",
        access: resource.access,
      });
      const query = parseListQuery(url.searchParams, resource);
      const page = paginate({
        collection: collectionOf(organization, resource.kind),
        filter: query.filter,
        limit: query.limit,
        cursor: query.cursor,
      });
      sendJson(res, 200, { ...page, results: page.results.map((record) => project(record, query.select)) });
    });
    router.on("GET", `${BASE}/${resource.kind}/:id`, ({ req, res, url, params, context }) => {
      const { organization } = authorizeApiRequest({
        req,
        res,
        version: "v2",
        context,
        slug: params.slug ?? "",
        access: resource.access,
      });
      const record = collectionOf(organization, resource.kind).get(params.id ?? "");
      if (!record) throw nestError(404, `${resource.label} not found`);
      sendJson(res, 200, project(record, parseListQuery(url.searchParams, resource).select));
    });
  }

  router.on("GET", `${BASE}/integrations/:id`, ({ req, res, params, context }) => {
    const { organization, token } = authorizeApiRequest({
      req,
      res,
      version: "v2",
      context,
      slug: params.slug ?? "",
      access: ACCESS.integrations,
    });
    const integration = context.state.integrations.get(params.id ?? "");
    // Only the application the integration belongs to may read it (and its secret).
    if (
      !integration ||
      integration.orgSlug !== organization.slug ||
      integration.appClientId !== token.clientId
    )
      throw nestError(404, "Integration not found");
    markSecretFetched(context, integration);
    sendJson(res, 200, integrationApiShape(integration));
  });
}
