import { organizationSchema, tokenResponseSchema, webhookCreatedSchema } from "@/lib/officernd/schemas";
import type { EntityKind } from "@/lib/sync/mapping";
import { createProbeHttp, type ProbeAnswer, type ProbeHttp } from "./http";
import { checkFirstPage } from "./parse-page";
import { redactReport } from "./report";
import { FLEX_SCOPES, LEGACY_SCOPES, isFlexScopeSet } from "./scopes";
import type { CheckOptions, CheckReport, CheckRow, Generation } from "./types";

// `npm run officernd:check`: asks a real OfficeRnD organisation, with the partner's client credentials,
// every question the app's first day depends on (issue 11 §7), and reports each as a row.

const LIST_KINDS: EntityKind[] = ["locations", "members", "companies"];
const PROBE_ID = "000000000000000000000000";
const MAX_WEBHOOK_PAGES = 20;

type Token = { token: string; scope: string; expiresIn: number };
type TokenResult =
  { ok: true; value: Token } | { ok: false; reason: string; error: string | null; status: number | null };
type Readability = Record<EntityKind, ProbeAnswer | null>;

function orgBase(base: string, version: Generation, org: string): string {
  return `${base.replace(/\/+$/, "")}/api/${version}/organizations/${encodeURIComponent(org)}`;
}

function oauthErrorCode(answer: ProbeAnswer): string | null {
  const body = answer.body;
  return typeof body === "object" &&
    body !== null &&
    typeof (body as Record<string, unknown>).error === "string"
    ? String((body as Record<string, unknown>).error)
    : null;
}

function tokenAction(error: string | null, status: number | null, isFlex: boolean): string {
  if (status === null)
    return "Check the identity URL (OFFICERND_IDENTITY_URL or --identity-url) and that this machine can reach it.";
  if (error === "invalid_client" || status === 401)
    return "Check OFFICERND_CLIENT_ID and OFFICERND_CLIENT_SECRET (OfficeRnD admin → Data & Extensibility → Developer Tools → the app's cog → View).";
  if (status === 429)
    return "OfficeRnD's token endpoint admits about 5 requests a minute per client: wait a minute and run the check again.";
  if (error === "invalid_scope" && isFlex)
    return "This OfficeRnD does not issue flex.* scopes to the app: keep OFFICERND_SCOPES at the legacy set and OFFICERND_API=auto (the app then uses API v1).";
  if (error === "invalid_scope")
    return "Give the developer application Read and Write permission in Developer Tools.";
  return "Check the identity URL and the application's settings in OfficeRnD's Developer Tools.";
}

function rowsFor(rows: CheckRow[], ids: string[]): CheckRow[] {
  return rows.filter((row) => ids.includes(row.id));
}

export async function runCheck(options: CheckOptions, deps: { http?: ProbeHttp } = {}): Promise<CheckReport> {
  const http = deps.http ?? createProbeHttp({ timeoutMs: options.timeoutMs });
  const secrets = new Set<string>([options.clientSecret]);
  const rows: CheckRow[] = [];
  const add = (row: Omit<CheckRow, "blocker"> & { blocker?: boolean }) =>
    rows.push({ ...row, blocker: row.blocker ?? false });
  const skip = (id: string, check: string, why: string) =>
    add({ id, check, status: "skip", detail: `not checked: ${why}`, action: "" });
  const report = (regionUrl: string | null, generation: Generation | null): CheckReport => {
    const blockers = rows.filter((row) => row.status === "fail" && row.blocker).length;
    const result = {
      org: options.org,
      identityUrl: options.identityUrl,
      appUrl: options.appUrl,
      regionUrl,
      generation,
      rows,
      blockers,
      ok: blockers === 0,
    };
    return redactReport(result, secrets);
  };

  // 1. Tokens (client-credentials grant) for both scope sets.
  async function issueToken(scope: string): Promise<TokenResult> {
    const answer = await http.request({
      method: "POST",
      url: `${options.identityUrl.replace(/\/+$/, "")}/oauth/token`,
      form: {
        grant_type: "client_credentials",
        client_id: options.clientId,
        client_secret: options.clientSecret,
        scope,
      },
    });
    if (!answer.ok)
      return { ok: false, reason: answer.reason, error: oauthErrorCode(answer), status: answer.status };
    const parsed = tokenResponseSchema.safeParse(answer.body);
    if (!parsed.success)
      return {
        ok: false,
        reason: `the token answer does not parse: ${parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; ")}`,
        error: null,
        status: answer.status,
      };
    secrets.add(parsed.data.access_token);
    if (parsed.data.refresh_token) secrets.add(parsed.data.refresh_token);
    return {
      ok: true,
      value: {
        token: parsed.data.access_token,
        scope: parsed.data.scope ?? scope,
        expiresIn: parsed.data.expires_in,
      },
    };
  }
  const tokens: Record<"legacy" | "flex", TokenResult> = {
    legacy: await issueToken(LEGACY_SCOPES),
    flex: await issueToken(FLEX_SCOPES),
  };
  const appSet = isFlexScopeSet(options.appScopes) ? "flex" : "legacy";
  for (const set of ["legacy", "flex"] as const) {
    const result = tokens[set];
    const check = set === "legacy" ? "Token, legacy scopes" : "Token, flex.* scopes";
    const asked =
      set === "legacy"
        ? LEGACY_SCOPES
        : "flex.* for locations, members, companies, webhooks, integrations, organization";
    const granted = result.ok ? result.value.scope.split(/\s+/).filter((scope) => scope !== "").length : 0;
    if (result.ok)
      add({
        id: `token.${set}`,
        check,
        status: "pass",
        detail: `issued for ${asked} (${granted} scopes granted), expires in ${result.value.expiresIn} s`,
        action: "",
      });
    else
      add({
        id: `token.${set}`,
        check,
        status: "fail",
        detail: `${asked}: ${result.reason}`,
        action: tokenAction(result.error, result.status, set === "flex"),
        blocker: set === appSet,
      });
  }
  const appToken = tokens[appSet].ok ? tokens[appSet].value.token : null;
  const anyToken = tokens.legacy.ok
    ? tokens.legacy.value.token
    : tokens.flex.ok
      ? tokens.flex.value.token
      : null;
  if (!anyToken) {
    for (const row of rowsFor(rows, ["token.legacy", "token.flex"])) row.blocker = true;
    skip("organization", "Organisation and region", "no token was issued");
    return report(null, null);
  }

  // 2. The organisation and its region (spec §2 step 2).
  const orgAnswer = await http.request({ url: orgBase(options.appUrl, "v1", options.org), token: anyToken });
  const orgParsed = orgAnswer.ok ? organizationSchema.safeParse(orgAnswer.body) : null;
  if (!orgAnswer.ok || !orgParsed?.success) {
    const detail = !orgAnswer.ok
      ? orgAnswer.reason
      : `the answer does not parse: ${orgParsed?.error?.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; ") ?? ""}`;
    const action =
      orgAnswer.status === 403
        ? "Client-credentials tokens reach only the organisation the developer application belongs to: run the check with --org <that organisation's slug>."
        : orgAnswer.status === 404
          ? "Check --org (the organisation's slug, as in app.officernd.com/<slug>) and OFFICERND_APP_URL (--app-url)."
          : "Check OFFICERND_APP_URL (--app-url) and the application's permissions.";
    add({
      id: "organization",
      check: "Organisation and region",
      status: "fail",
      detail,
      action,
      blocker: true,
    });
    return report(null, null);
  }
  const organization = orgParsed.data;
  const regionUrl = organization.regionInfo.regionUrl.replace(/\/+$/, "");
  const isOtherRegion = regionUrl !== options.appUrl.replace(/\/+$/, "");
  add({
    id: "organization",
    check: "Organisation and region",
    status: "pass",
    detail: `${organization.name} (${organization._id}); regionUrl ${regionUrl}${isOtherRegion ? ` — not OFFICERND_APP_URL: every later call goes there, as the app does` : ""}`,
    action: "",
  });

  if (isOtherRegion) {
    // Does OFFICERND_APP_URL serve this organisation's data too? Only regionUrl must (spec pitfall 5).
    const answer = await http.request({
      url: `${orgBase(options.appUrl, "v2", options.org)}/locations`,
      token: anyToken,
    });
    add({
      id: "region.app-url",
      check: "OFFICERND_APP_URL serves the organisation's API",
      status: answer.ok ? "pass" : "fail",
      detail: answer.ok
        ? "yes, as well as regionUrl"
        : `no (${answer.reason}): only regionUrl ${regionUrl} does`,
      action: answer.ok
        ? ""
        : "Nothing to change: after Connect the app sends every call to regionUrl. A client calling OFFICERND_APP_URL for data would fail here.",
    });
  }

  // 3. Which API generation reads which resource, with which token.
  async function readAll(version: Generation, token: string | null): Promise<Readability> {
    const result = { locations: null, members: null, companies: null } as Readability;
    if (!token) return result;
    for (const kind of LIST_KINDS)
      result[kind] = await http.request({
        url: `${orgBase(regionUrl, version, options.org)}/${kind}`,
        token,
      });
    return result;
  }
  const readable = (answers: Readability) => LIST_KINDS.filter((kind) => answers[kind]?.ok);
  const firstFailure = (answers: Readability) =>
    LIST_KINDS.map((kind) => answers[kind])
      .filter((answer): answer is ProbeAnswer & { ok: false } => answer !== null && !answer.ok)
      .map((answer) => answer.reason)[0] ?? "no token";
  const v2Flex = await readAll("v2", tokens.flex.ok ? tokens.flex.value.token : null);
  const v2Legacy = await readAll("v2", tokens.legacy.ok ? tokens.legacy.value.token : null);
  const v1Legacy = await readAll("v1", tokens.legacy.ok ? tokens.legacy.value.token : null);
  const describeReadable = (answers: Readability, label: string) => {
    const kinds = readable(answers);
    return kinds.length === LIST_KINDS.length
      ? `readable with the ${label}`
      : kinds.length > 0
        ? `${kinds.join(", ")} readable with the ${label}`
        : `not with the ${label} (${firstFailure(answers)})`;
  };
  const v2Complete =
    readable(v2Flex).length === LIST_KINDS.length || readable(v2Legacy).length === LIST_KINDS.length;
  add({
    id: "api.v2",
    check: "API v2 (locations, members, companies)",
    status: v2Complete ? "pass" : "fail",
    detail: `${describeReadable(v2Flex, "flex.* scopes")}; ${describeReadable(v2Legacy, "legacy scopes")}`,
    action: v2Complete
      ? ""
      : "The app falls back to API v1 with OFFICERND_API=auto (the default); set OFFICERND_API=v1 to skip the daily v2 retry.",
  });
  const v1Complete = readable(v1Legacy).length === LIST_KINDS.length;
  add({
    id: "api.v1",
    check: "API v1 (locations, members, companies)",
    status: v1Complete ? "pass" : v2Complete ? "warn" : "fail",
    detail: describeReadable(v1Legacy, "legacy scopes"),
    action:
      v1Complete || v2Complete
        ? ""
        : "Neither API generation is readable: give the application Read permission in Developer Tools.",
  });
  const appAnswers = appSet === "flex" ? v2Flex : v2Legacy;
  const generation: Generation | null =
    readable(appAnswers).length === LIST_KINDS.length
      ? "v2"
      : appSet === "legacy" && v1Complete
        ? "v1"
        : null;
  add({
    id: "generation",
    check: "API generation the app will use",
    status: generation ? "pass" : "fail",
    detail: generation
      ? `API ${generation} with OFFICERND_SCOPES (${appSet} set)${generation === "v1" ? `: API v2 refuses that token (${firstFailure(appAnswers)}); OFFICERND_API=auto uses v1 and retries v2 after a day` : ""}`
      : `none: with OFFICERND_SCOPES (${appSet} set) ${firstFailure(appAnswers)}`,
    action: generation
      ? ""
      : appSet === "flex"
        ? "Set OFFICERND_SCOPES to the legacy set (officernd.api.read officernd.api.write)."
        : "Give the application Read permission.",
    blocker: true,
  });

  // 4. The first page of each list parses with the app's reader.
  const pagesOf = generation === "v1" ? v1Legacy : appAnswers;
  for (const kind of LIST_KINDS) {
    const check = `First page of ${kind} parses`;
    const answer = pagesOf[kind];
    if (!generation || !answer) {
      skip(`list.${kind}`, check, "no API generation is readable");
      continue;
    }
    if (!answer.ok) {
      add({
        id: `list.${kind}`,
        check,
        status: "fail",
        detail: answer.reason,
        action: "Give the application Read permission for this resource.",
        blocker: true,
      });
      continue;
    }
    const verdict = checkFirstPage({ kind, generation, body: answer.body, headers: answer.headers });
    if (verdict.ok)
      add({
        id: `list.${kind}`,
        check,
        status: "pass",
        detail: `${verdict.count} record${verdict.count === 1 ? "" : "s"} (API ${generation})${verdict.hasNextPage ? ", more pages follow" : ""}`,
        action: "",
      });
    else
      add({
        id: `list.${kind}`,
        check,
        status: "fail",
        detail: `${verdict.field ? `field ${verdict.field}: ` : ""}${verdict.problem}`,
        action:
          "Report this record shape to the app's maintainers (issue tracker) with the field named here; records that do not parse are skipped, never deleted.",
        blocker: true,
      });
  }

  // 5. The integrations route Connect reads the signing secret from (a made-up id: 404 means reachable).
  if (generation && appToken) {
    const answer = await http.request({
      url: `${orgBase(regionUrl, generation, options.org)}/integrations/${PROBE_ID}?appClientId=${encodeURIComponent(options.clientId)}`,
      token: appToken,
    });
    const isReachable = answer.ok || answer.status === 404;
    add({
      id: "integrations",
      check: "Integrations route (Connect reads the secret)",
      status: isReachable ? "pass" : "fail",
      detail: isReachable
        ? `reachable with the app's scopes (${answer.ok ? "200" : "404 for a made-up id, as expected"})`
        : answer.reason,
      action: isReachable
        ? ""
        : "Connect cannot fetch the integration's secret: add flex.settings.integrations.read (or the legacy read scope).",
      blocker: !isReachable,
    });
  } else
    skip("integrations", "Integrations route (Connect reads the secret)", "no API generation is readable");

  // 6. Webhooks: create a disabled test subscription, find it in the list, delete it, confirm it is gone.
  if (generation && appToken)
    await checkWebhooks({ http, options, regionUrl, generation, token: appToken, add, secrets });
  else skip("webhooks.create", "Webhooks: create, list, delete", "no API generation is readable");

  // 7. Request-rate headers.
  const seen = [...http.rateHeaders].sort();
  add({
    id: "rate-headers",
    check: "Request-rate headers",
    status: seen.length > 0 ? "pass" : "warn",
    detail: seen.length > 0 ? `seen: ${seen.join(", ")}` : `none on ${http.calls.length} answers`,
    action:
      seen.length > 0
        ? ""
        : "Nothing to change: the app keeps its own budget (OFFICERND_API_REQUESTS_PER_MINUTE) and honours 429 + Retry-After.",
  });
  add({
    id: "not-checkable",
    check: "Signed calls and webhook objects",
    status: "skip",
    detail:
      "not visible with client credentials (OfficeRnD sends them to the app); the app accepts v1 and v2 objects and every signed-parameter variant",
    action: "",
  });
  return report(regionUrl, generation);
}

async function checkWebhooks({
  http,
  options,
  regionUrl,
  generation,
  token,
  add,
  secrets,
}: {
  http: ProbeHttp;
  options: CheckOptions;
  regionUrl: string;
  generation: Generation;
  token: string;
  add: (row: Omit<CheckRow, "blocker"> & { blocker?: boolean }) => void;
  secrets: Set<string>;
}): Promise<void> {
  const base = `${orgBase(regionUrl, generation, options.org)}/webhooks`;
  const description = `officernd:check test subscription ${new Date().toISOString()} (safe to delete)`;
  const enabledField = generation === "v1" ? "enabled" : "isEnabled";
  const created = await http.request({
    method: "POST",
    url: base,
    token,
    json: {
      url: options.webhookUrl,
      eventTypes: ["integration.removed"],
      description,
      [enabledField]: false,
    },
  });
  const parsed = created.ok ? webhookCreatedSchema.safeParse(created.body) : null;
  const webhook = parsed?.success ? parsed.data[0] : undefined;
  if (!webhook) {
    add({
      id: "webhooks.create",
      check: "Webhooks: create a test subscription",
      status: "fail",
      detail: created.ok
        ? `created, but the answer does not parse: ${parsed?.error?.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; ") ?? ""}`
        : created.reason,
      action:
        "The app subscribes to integration.removed and record events at Connect: give the application Write permission (flex.settings.webhooks.create).",
      blocker: true,
    });
    return;
  }
  secrets.add(webhook.secret);
  add({
    id: "webhooks.create",
    check: "Webhooks: create a test subscription",
    status: "pass",
    detail: `created ${webhook._id} (disabled, integration.removed) with API ${generation}`,
    action: "",
  });

  const isListed = async (): Promise<{ listed: boolean } | { error: string }> => {
    let cursor: string | null = null;
    for (let page = 0; page < MAX_WEBHOOK_PAGES; page += 1) {
      const query = cursor
        ? `?${generation === "v1" ? "$next" : "$cursorNext"}=${encodeURIComponent(cursor)}`
        : "";
      const answer = await http.request({ url: `${base}${query}`, token });
      if (!answer.ok) return { error: answer.reason };
      const body = answer.body as { results?: unknown } | unknown[];
      const items = Array.isArray(body) ? body : Array.isArray(body?.results) ? body.results : null;
      if (!items) return { error: "the list answer is neither an array nor {results}" };
      if (
        items.some(
          (item) =>
            typeof item === "object" &&
            item !== null &&
            (item as Record<string, unknown>)._id === webhook._id,
        )
      )
        return { listed: true };
      cursor =
        generation === "v1"
          ? answer.headers.get("rnd-cursor-next")
          : Array.isArray(body)
            ? null
            : ((body as { cursorNext?: string | null }).cursorNext ?? null);
      if (!cursor) return { listed: false };
    }
    return { listed: false };
  };
  const listed = await isListed();
  add({
    id: "webhooks.list",
    check: "Webhooks: list shows it",
    status: "listed" in listed && listed.listed ? "pass" : "fail",
    detail: "listed" in listed ? (listed.listed ? "listed" : "not in the list") : listed.error,
    action:
      "listed" in listed && listed.listed
        ? ""
        : "The app lists subscriptions to clean up after itself: give the application flex.settings.webhooks.read (or the legacy read scope).",
    blocker: !("listed" in listed && listed.listed),
  });

  const deleted = await http.request({
    method: "DELETE",
    url: `${base}/${encodeURIComponent(webhook._id)}`,
    token,
  });
  const after = deleted.ok ? await isListed() : null;
  const isGone = after !== null && "listed" in after && !after.listed;
  add({
    id: "webhooks.delete",
    check: "Webhooks: delete it",
    status: isGone ? "pass" : "fail",
    detail: !deleted.ok
      ? deleted.reason
      : isGone
        ? "deleted, and no longer listed"
        : "deleted, but still listed",
    action: isGone
      ? ""
      : "The app deletes its subscriptions when an installation ends: give the application flex.settings.webhooks.delete (or the legacy write scope).",
    blocker: !isGone,
  });
  add({
    id: "cleanup",
    check: "Nothing left behind",
    status: isGone ? "pass" : "fail",
    detail: isGone
      ? `the test subscription ${webhook._id} is gone`
      : `LEFT BEHIND: webhook subscription ${webhook._id} (${options.webhookUrl}, "${description}")`,
    action: isGone
      ? ""
      : "Delete it in OfficeRnD (Settings → Webhooks); it is disabled and sends nothing meanwhile.",
    blocker: !isGone,
  });
}
