import "server-only";
import { z } from "zod";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { log } from "@/lib/log";
import { getAccessToken } from "@/lib/officernd/tokens";
import { createRequestBudget, defaultSleep, type RequestBudget } from "@/lib/officernd/api-client-budget";
import { DEFAULT_RETRY_POLICY, decideRetry, parseRetryAfter, type AttemptOutcome, type RetryPolicy } from "@/lib/officernd/api-client-retry";
import { parsePageItems, rawPageSchema, RECORD_SCHEMAS, type Page, type RecordKind, type RecordOf } from "@/lib/officernd/v2-schemas";

// OfficeRnD API v2 client for one installation: every response parsed with zod; 429, 5xx, timeouts,
// dropped connections and unreadable bodies retried with backoff (Retry-After honoured); one forced
// token refresh on 401; other 4xx final. Every attempt first takes a request from the organisation's
// shared budget so all locations and workers together stay under OfficeRnD's rate limit.

export type ApiTarget = { installationId: string; orgSlug: string; regionUrl: string };

export type ApiClientDeps = {
  fetch?: typeof fetch;
  getToken?: (installationId: string, options?: { forceRefresh?: boolean; rejectedToken?: string }) => Promise<string>;
  budget?: RequestBudget;
  policy?: Partial<RetryPolicy>;
  timeoutMs?: number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  random?: () => number;
  now?: () => number;
  /** Aborts waits and requests in flight (a cancelled run). */
  signal?: AbortSignal;
};

export type ApiClient = {
  listPage: <K extends RecordKind>(kind: K, query: URLSearchParams) => Promise<Page<RecordOf<K>>>;
  /** One record, or null when OfficeRnD answers 404. */
  getRecord: <K extends RecordKind>(kind: K, id: string) => Promise<RecordOf<K> | null>;
  deleteWebhook: (remoteId: string) => Promise<"deleted" | "not_found">;
};

/** How long one client reuses a token before asking the token store again (which refreshes near expiry). */
const TOKEN_REUSE_MS = 30_000;

type Request = { method: "GET" | "DELETE"; path: string; query?: URLSearchParams };
type Attempt = { ok: true; status: number; body: unknown } | { ok: false; outcome: AttemptOutcome; detail: string };

export function createApiClient(target: ApiTarget, deps: ApiClientDeps = {}): ApiClient {
  const fetcher = deps.fetch ?? fetch;
  const getToken = deps.getToken ?? getAccessToken;
  const budget = deps.budget ?? createRequestBudget({ orgSlug: target.orgSlug, perMinute: env().OFFICERND_API_REQUESTS_PER_MINUTE });
  const policy = { ...DEFAULT_RETRY_POLICY, ...deps.policy };
  const timeoutMs = deps.timeoutMs ?? env().OFFICERND_HTTP_TIMEOUT_MS;
  const sleep = deps.sleep ?? defaultSleep;
  const random = deps.random ?? Math.random;
  const now = deps.now ?? Date.now;
  const base = `${target.regionUrl.replace(/\/+$/, "")}/api/v2/organizations/${encodeURIComponent(target.orgSlug)}`;

  async function attempt(request: Request, token: string): Promise<Attempt> {
    await budget.acquire(deps.signal);
    const url = `${base}${request.path}${request.query && request.query.size > 0 ? `?${request.query.toString()}` : ""}`;
    const timeout = AbortSignal.timeout(timeoutMs);
    let response: Response;
    try {
      response = await fetcher(url, {
        method: request.method,
        headers: { authorization: `Bearer ${token}`, accept: "application/json" },
        signal: deps.signal ? AbortSignal.any([timeout, deps.signal]) : timeout,
      });
    } catch (error) {
      if (deps.signal?.aborted) throw deps.signal.reason;
      const isTimeout = timeout.aborted || (error instanceof Error && error.name === "TimeoutError");
      return { ok: false, outcome: { kind: isTimeout ? "timeout" : "network" }, detail: describe(error) };
    }
    if (!response.ok) {
      // Drain the body so the connection can be reused; its text is only logged.
      const text = await response.text().catch(() => "");
      if (response.status === 429) await budget.penalize(parseRetryAfter(response.headers.get("retry-after"), now()) ?? 1000);
      return { ok: false, outcome: { kind: "response", status: response.status, retryAfter: response.headers.get("retry-after") }, detail: text.slice(0, 200) };
    }
    try {
      const text = await response.text();
      return { ok: true, status: response.status, body: text === "" ? null : (JSON.parse(text) as unknown) };
    } catch (error) {
      if (deps.signal?.aborted) throw deps.signal.reason;
      // A connection dropped mid-body, or a body that is not JSON: both may heal on a retry.
      return { ok: false, outcome: { kind: "invalid-body" }, detail: describe(error) };
    }
  }

  /** Sends with retries; returns the parsed JSON of a 2xx, or the final failing attempt. */
  // The token is reused for a short while: asking the token store costs a database read and a decrypt
  // per request otherwise. A rejected token is replaced at once (401 → forced refresh).
  let cached: { token: string; until: number } | null = null;
  async function currentToken(): Promise<string> {
    if (cached && now() < cached.until) return cached.token;
    const token = await getToken(target.installationId);
    cached = { token, until: now() + TOKEN_REUSE_MS };
    return token;
  }

  async function send(request: Request): Promise<Attempt> {
    let token = await currentToken();
    let hasRefreshed = false;
    for (let attemptNumber = 1; ; attemptNumber++) {
      const result = await attempt(request, token);
      if (result.ok) return result;
      const decision = decideRetry({ outcome: result.outcome, attempt: attemptNumber, hasRefreshed, policy, nowMs: now(), random });
      if (decision.action === "give-up") return result;
      if (decision.action === "refresh-token") {
        hasRefreshed = true;
        token = await getToken(target.installationId, { forceRefresh: true, rejectedToken: token });
        cached = { token, until: now() + TOKEN_REUSE_MS };
        attemptNumber--; // A refresh is not a failed attempt.
        continue;
      }
      log.debug({ installationId: target.installationId, path: request.path, outcome: result.outcome, delayMs: decision.delayMs }, "officernd request retry");
      await sleep(decision.delayMs, deps.signal);
    }
  }

  function failure(request: Request, result: Extract<Attempt, { ok: false }>): AppError {
    const { outcome } = result;
    const what = `OfficeRnD ${request.method} ${request.path}`;
    if (outcome.kind === "timeout") return new AppError("upstream_timeout", `${what} timed out.`);
    if (outcome.kind === "network") return new AppError("upstream_error", `${what} failed: ${result.detail}`);
    if (outcome.kind === "invalid-body") return new AppError("upstream_error", `${what} answered with an unreadable body.`);
    if (outcome.status === 401) return new AppError("reconnect_required", `${what} refused the access token after a refresh.`);
    if (outcome.status === 403) return new AppError("forbidden", `${what} was forbidden (missing scope or location access).`);
    if (outcome.status === 429) return new AppError("rate_limited", `${what} stayed rate limited.`);
    if (outcome.status === 404) return new AppError("not_found", `${what} answered 404: ${result.detail}`);
    // Any other 4xx says the request itself is wrong: a retry would be refused the same way.
    if (outcome.status < 500) return new AppError("bad_request", `${what} answered ${outcome.status}: ${result.detail}`);
    return new AppError("upstream_error", `${what} answered ${outcome.status}: ${result.detail}`);
  }

  async function parsed<T>(request: Request, schema: z.ZodType<T>): Promise<T> {
    for (let parseAttempt = 1; ; parseAttempt++) {
      const result = await send(request);
      if (!result.ok) throw failure(request, result);
      const check = schema.safeParse(result.body);
      if (check.success) return check.data;
      // A 2xx with the wrong shape is most likely a truncated or garbled answer: retry it a little.
      if (parseAttempt >= 3)
        throw new AppError("upstream_error", `OfficeRnD ${request.path} answered with an unexpected shape: ${z.prettifyError(check.error).slice(0, 300)}`);
      await sleep(policy.baseDelayMs * parseAttempt, deps.signal);
    }
  }

  return {
    listPage: async (kind, query) => parsePageItems(kind, await parsed({ method: "GET", path: `/${kind}`, query }, rawPageSchema)),
    getRecord: async (kind, id) => {
      const request: Request = { method: "GET", path: `/${kind}/${encodeURIComponent(id)}` };
      const result = await send(request);
      if (!result.ok && result.outcome.kind === "response" && result.outcome.status === 404) return null;
      if (!result.ok) throw failure(request, result);
      const check = RECORD_SCHEMAS[kind].safeParse(result.body);
      if (!check.success) throw new AppError("upstream_error", `OfficeRnD ${request.path} answered with an unexpected shape.`);
      return check.data as never;
    },
    deleteWebhook: async (remoteId) => {
      const request: Request = { method: "DELETE", path: `/webhooks/${encodeURIComponent(remoteId)}` };
      const result = await send(request);
      if (!result.ok && result.outcome.kind === "response" && result.outcome.status === 404) return "not_found";
      if (!result.ok) throw failure(request, result);
      return "deleted";
    },
  };
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? `: ${(error.cause as Error & { code?: string }).code ?? error.cause.message}` : "";
  return `${error.name}${cause}`;
}
