import "server-only";
import { z } from "zod";
import { env } from "@/lib/env";
import { errorSummary, log } from "@/lib/log";
import {
  planGeneration,
  refusalOf,
  UNDECIDED,
  type ApiGeneration,
  type ApiMode,
  type StoredGeneration,
} from "@/lib/officernd/api-generation";
import { readStoredGeneration, recordGeneration } from "@/lib/officernd/api-generation-store";
import {
  isFullPageWithoutCursor,
  pageItems,
  parsePage,
  queryFor,
  V1_PAGE_LIMIT,
  V2_PAGE_LIMIT,
} from "@/lib/officernd/list-pages";
import { createRequestBudget } from "@/lib/officernd/request-budget";
import { integrationSchema, webhookCreatedSchema, webhookListItemSchema } from "@/lib/officernd/schemas";
import { createTransport, type Transport, type TransportDeps } from "@/lib/officernd/transport";
import { isMissingRoute, OfficeRndError, isOfficeRndError } from "@/lib/officernd/upstream-failures";
import { normalizeRecord } from "@/lib/officernd/v1-records";
import { describeIssues } from "@/lib/officernd/zod-issues";
import { RECORD_SCHEMAS, type Page, type RecordKind, type RecordOf } from "@/lib/officernd/v2-schemas";

// One OfficeRnD organisation's API in the generation the installation uses (v1 or v2). Every call goes
// through the one transport and the organisation's request budget; every answer maps to the one model.

/** As an installation (its stored, refreshable token) or with a bare token (Connect). */
export type OrgTarget = { orgSlug: string; regionUrl: string } & (
  { installationId: string } | { accessToken: string }
);

export type OrgApiDeps = TransportDeps & {
  mode?: ApiMode;
  readStored?: (installationId: string) => Promise<StoredGeneration>;
  record?: typeof recordGeneration;
};

export type RemoteIntegration = {
  id: string;
  /** The integration's location ids; null when OfficeRnD did not say. */
  locations: string[] | null;
  appClientId: string | null;
  secret: string | null;
};
export type RemoteLocation = { id: string; name: string };
export type CreatedWebhook = { remoteId: string; secret: string; eventTypes: string[] };

export type OrgApi = {
  generation: () => ApiGeneration | null;
  /** One page of a list; the query in v2's dialect (see list-pages.ts). */
  listPage: <K extends RecordKind>(kind: K, query: URLSearchParams) => Promise<Page<RecordOf<K>>>;
  getRecord: <K extends RecordKind>(kind: K, id: string) => Promise<RecordOf<K> | null>;
  /** `GET …/integrations/{id}?appClientId=`; null when OfficeRnD does not know it (for our client id). */
  getIntegration: (integrationId: string) => Promise<RemoteIntegration | null>;
  listLocations: () => Promise<RemoteLocation[]>;
  createWebhook: (input: {
    url: string;
    eventTypes: string[];
    description: string;
  }) => Promise<CreatedWebhook>;
  listWebhooks: () => Promise<{ remoteId: string; url: string }[]>;
  /** "not_found" when the subscription is already gone. */
  deleteWebhook: (remoteId: string) => Promise<"deleted" | "not_found">;
};

const MAX_LIST_PAGES = 1000;

export function createOrgApi(target: OrgTarget, deps: OrgApiDeps = {}): OrgApi {
  const mode = deps.mode ?? env().OFFICERND_API;
  const installationId = "installationId" in target ? target.installationId : null;
  const budget =
    deps.budget === undefined
      ? createRequestBudget({ orgSlug: target.orgSlug, perMinute: env().OFFICERND_API_REQUESTS_PER_MINUTE })
      : deps.budget;
  const transport: Transport = createTransport(
    installationId ? { installationId } : { accessToken: (target as { accessToken: string }).accessToken },
    {
      ...deps,
      budget,
    },
  );
  const readStored = deps.readStored ?? readStoredGeneration;
  const record = deps.record ?? recordGeneration;
  const now = deps.now ?? Date.now;
  const region = target.regionUrl.replace(/\/+$/, "");
  const base = (generation: ApiGeneration) =>
    `${region}/api/${generation}/organizations/${encodeURIComponent(target.orgSlug)}`;

  let decided: ApiGeneration | null = null;
  let stored: Promise<StoredGeneration> | null = null;
  const storedGeneration = () =>
    installationId
      ? (stored ??= readStored(installationId).catch(() => UNDECIDED))
      : Promise.resolve(UNDECIDED);

  async function withGeneration<T>(call: (generation: ApiGeneration) => Promise<T>): Promise<T> {
    // v2 having answered one route does not promise the next: each call keeps its way back to v1.
    if (decided === "v1") return call("v1");
    const plan =
      decided === "v2"
        ? { first: "v2" as const, fallback: mode === "auto" ? ("v1" as const) : null }
        : planGeneration({ mode, stored: await storedGeneration(), now: new Date(now()) });
    let result: T;
    try {
      result = await call(plan.first);
    } catch (error) {
      const refusal = plan.fallback ? refusalOf(error) : null;
      if (!plan.fallback || !refusal) throw error;
      log.info({ orgSlug: target.orgSlug, installationId, refusal }, "officernd api v2 refused; using v1");
      let fallbackResult: T;
      try {
        fallbackResult = await call(plan.fallback);
      } catch (fallbackError) {
        // v1 refusing too says no more than v2's refusal did; anything else (5xx, a missing record) is news.
        throw refusalOf(fallbackError) ? error : fallbackError;
      }
      await settle(plan.fallback, refusal, true);
      return fallbackResult;
    }
    await settle(plan.first, "API v2 answered", false);
    return result;
  }

  async function settle(generation: ApiGeneration, reason: string, isFallback: boolean): Promise<void> {
    decided = generation;
    if (!installationId || mode !== "auto") return;
    const previous = await storedGeneration();
    // Written when it changes, or when v2 was tried again and refused again (a new day on v1).
    if (!isFallback && previous.generation === generation) return;
    const at = new Date(now());
    stored = Promise.resolve({ generation, reason, decidedAt: at });
    await record({ installationId, generation, reason, now: at }).catch((error: unknown) =>
      log.warn({ installationId, err: errorSummary(error) }, "could not remember the api generation"),
    );
  }

  async function listPage<K extends RecordKind>(kind: K, query: URLSearchParams): Promise<Page<RecordOf<K>>> {
    return withGeneration(async (generation) => {
      const sent = queryFor({ generation, kind, query });
      const url = `${base(generation)}/${kind}`;
      const items = await readPage({
        generation,
        url,
        sent,
        limit: Number(sent.get("$limit") ?? (generation === "v1" ? V1_PAGE_LIMIT : V2_PAGE_LIMIT)),
      });
      if ("problem" in items) {
        log.warn(
          { orgSlug: target.orgSlug, kind, generation, problem: items.problem },
          "officernd list answer refused",
        );
        throw new OfficeRndError(
          "invalid_response",
          `OfficeRnD's ${kind} list answered with an unexpected shape: ${items.problem}`,
          {
            route: `GET ${new URL(url).pathname}`,
          },
        );
      }
      const page = parsePage({ kind, items: items.items, cursorNext: items.cursorNext, query });
      if (page.problems.length > 0)
        log.warn(
          { orgSlug: target.orgSlug, kind, generation, invalid: page.invalid, problems: page.problems },
          "officernd records skipped: unexpected shape",
        );
      return { results: page.results, cursorNext: page.cursorNext, invalid: page.invalid };
    });
  }

  async function getRecord<K extends RecordKind>(kind: K, id: string): Promise<RecordOf<K> | null> {
    return withGeneration(async (generation) => {
      const url = `${base(generation)}/${kind}/${encodeURIComponent(id)}`;
      let body: unknown;
      try {
        body = (await transport.send({ method: "GET", url })).body;
      } catch (error) {
        if (isOfficeRndError(error, "not_found") && !isMissingRoute(error)) return null;
        // v1 may have no by-id route: ask its list for that id (only an empty answer means "gone").
        if (generation === "v1" && isMissingRoute(error)) return getRecordFromV1List(kind, id);
        throw error;
      }
      const parsed = RECORD_SCHEMAS[kind].safeParse(normalizeRecord(kind, body));
      if (!parsed.success) throw shapeError(`GET ${new URL(url).pathname}`, parsed.error);
      return parsed.data as RecordOf<K>;
    });
  }

  async function getRecordFromV1List<K extends RecordKind>(kind: K, id: string): Promise<RecordOf<K> | null> {
    const url = `${base("v1")}/${kind}`;
    const reply = await transport.send({
      method: "GET",
      url,
      query: new URLSearchParams({ _id: id, $limit: String(V1_PAGE_LIMIT) }),
    });
    const items = Array.isArray(reply.body) ? reply.body : null;
    if (items === null)
      throw new OfficeRndError("invalid_response", `OfficeRnD's v1 ${kind} list did not answer a list.`, {
        route: `GET ${new URL(url).pathname}`,
      });
    if (items.length === 0) return null;
    const page = parsePage({ kind, items, cursorNext: null, query: new URLSearchParams({ _id: id }) });
    if (page.results[0]) return page.results[0];
    // Records came back, none of them this one: the filter was ignored; "not found" cannot be concluded.
    throw new OfficeRndError("invalid_response", `OfficeRnD's v1 ${kind} list ignored the _id filter.`, {
      route: `GET ${new URL(url).pathname}`,
    });
  }

  async function getIntegration(integrationId: string): Promise<RemoteIntegration | null> {
    return withGeneration(async (generation) => {
      const url = `${base(generation)}/integrations/${encodeURIComponent(integrationId)}`;
      try {
        const { data } = await transport.sendParsed(
          { method: "GET", url, query: new URLSearchParams({ appClientId: env().OFFICERND_CLIENT_ID }) },
          integrationSchema,
        );
        return {
          id: data._id ?? integrationId,
          locations: data.locations ?? null,
          appClientId: data.settings?.appClientId ?? null,
          secret: data.settings?.secret ?? null,
        };
      } catch (error) {
        if (isOfficeRndError(error, "not_found") && !isMissingRoute(error)) return null;
        throw error;
      }
    });
  }

  /**
   * A full bare (v1) page without `rnd-cursor-next` may be the last page or a cut-off list; the same page
   * asked for one record less tells them apart (OfficeRnD sends a cursor when more records follow). One
   * extra request, only when a list ends exactly on a page boundary.
   */
  async function readPage({
    generation,
    url,
    sent,
    limit,
  }: {
    generation: ApiGeneration;
    url: string;
    sent: URLSearchParams;
    limit: number;
  }) {
    const reply = await transport.send({ method: "GET", url, query: sent });
    const items = pageItems({ generation, reply, limit });
    if (!("problem" in items) || !isFullPageWithoutCursor(reply, limit) || limit < 2) return items;
    const probe = new URLSearchParams(sent);
    probe.set("$limit", String(limit - 1));
    const probed = pageItems({
      generation,
      reply: await transport.send({ method: "GET", url, query: probe }),
      limit: limit - 1,
    });
    if ("problem" in probed || probed.cursorNext === null || probed.items.length !== limit - 1) return items;
    return { items: reply.body as unknown[], cursorNext: null };
  }

  async function listAll<T>(
    kind: "locations" | "webhooks",
    read: (generation: ApiGeneration, body: unknown) => T[],
  ): Promise<T[]> {
    return withGeneration(async (generation) => {
      const all: T[] = [];
      let cursor: string | null = null;
      for (let page = 0; page < MAX_LIST_PAGES; page++) {
        const query = new URLSearchParams();
        if (cursor) query.set("$cursorNext", cursor);
        const sent = queryFor({ generation, kind, query });
        const url = `${base(generation)}/${kind}`;
        const items = await readPage({ generation, url, sent, limit: Number(sent.get("$limit")) });
        if ("problem" in items)
          throw new OfficeRndError("invalid_response", `OfficeRnD's ${kind} list: ${items.problem}`, {
            route: `GET ${new URL(url).pathname}`,
          });
        all.push(...read(generation, items.items));
        cursor = items.cursorNext;
        if (!cursor) return all;
      }
      throw new OfficeRndError("invalid_response", `OfficeRnD's ${kind} list did not end.`, {
        route: `GET ${base(generation)}/${kind}`,
      });
    });
  }

  return {
    generation: () => decided,
    listPage,
    getRecord,
    getIntegration,
    listLocations: () =>
      listAll("locations", (_generation, items) => {
        const page = parsePage({
          kind: "locations",
          items: items as unknown[],
          cursorNext: null,
          query: new URLSearchParams(),
        });
        if (page.problems.length > 0)
          log.warn(
            { orgSlug: target.orgSlug, problems: page.problems },
            "officernd locations skipped: unexpected shape",
          );
        return page.results.map((location) => ({ id: location._id, name: location.name }));
      }),
    listWebhooks: () =>
      listAll("webhooks", (_generation, items) =>
        (items as unknown[]).flatMap((item) => {
          const parsed = webhookListItemSchema.safeParse(item);
          return parsed.success ? [{ remoteId: parsed.data._id, url: parsed.data.url ?? "" }] : [];
        }),
      ),
    createWebhook: (input) =>
      withGeneration(async (generation) => {
        // v1 names the flag `enabled` and answers an array; v2 `isEnabled` (default on), one object (§3f).
        const body =
          generation === "v1"
            ? { url: input.url, eventTypes: input.eventTypes, enabled: true, description: input.description }
            : { url: input.url, eventTypes: input.eventTypes, description: input.description };
        const { data } = await transport.sendParsed(
          { method: "POST", url: `${base(generation)}/webhooks`, json: body },
          webhookCreatedSchema,
        );
        const ours = data.find((webhook) => webhook.url === input.url) ?? data[0]!;
        return { remoteId: ours._id, secret: ours.secret, eventTypes: ours.eventTypes ?? input.eventTypes };
      }),
    deleteWebhook: (remoteId) =>
      withGeneration(async (generation) => {
        try {
          await transport.send({
            method: "DELETE",
            url: `${base(generation)}/webhooks/${encodeURIComponent(remoteId)}`,
          });
          return "deleted" as const;
        } catch (error) {
          // A missing subscription is gone; a missing route is not an answer about the subscription.
          if (isOfficeRndError(error, "not_found") && !isMissingRoute(error)) return "not_found" as const;
          throw error;
        }
      }),
  };
}

function shapeError(route: string, error: z.ZodError): OfficeRndError {
  const problem = describeIssues(error);
  log.warn({ route, problem }, "officernd answered with an unexpected shape");
  return new OfficeRndError(
    "invalid_response",
    `OfficeRnD ${route} answered with an unexpected shape: ${problem}`,
    { route },
  );
}
