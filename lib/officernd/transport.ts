import "server-only";
import { z } from "zod";
import { env } from "@/lib/env";
import { log } from "@/lib/log";
import { getAccessToken } from "@/lib/officernd/tokens";
import { defaultSleep, type RequestBudget } from "@/lib/officernd/request-budget";
import {
  DEFAULT_RETRY_POLICY,
  decideRetry,
  parseRetryAfter,
  type AttemptOutcome,
  type RetryPolicy,
} from "@/lib/officernd/retry-policy";
import { failureOfStatus, OfficeRndError, type UpstreamFailure } from "@/lib/officernd/upstream-failures";
import { describeIssues } from "@/lib/officernd/zod-issues";

// The one HTTP layer every call to OfficeRnD goes through (identity server and API, v1 and v2): a
// timeout per attempt; retries with full jitter and `Retry-After` for 429, 5xx, timeouts, dropped
// connections and unreadable bodies (non-idempotent POSTs only when OfficeRnD refused before acting:
// 429, 503); one forced token refresh on a 401; a budget slot before every attempt; zod parsing of
// every answer; and every failure as an OfficeRndError from the one table in upstream-failures.ts.

export type TokenSource = (
  installationId: string,
  options?: { forceRefresh?: boolean; rejectedToken?: string },
) => Promise<string>;

export type TransportDeps = {
  fetch?: typeof fetch;
  getToken?: TokenSource;
  budget?: RequestBudget | null;
  policy?: Partial<RetryPolicy>;
  timeoutMs?: number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  random?: () => number;
  now?: () => number;
  /** Aborts waits and requests in flight (a cancelled run). */
  signal?: AbortSignal;
};

/** An installation (stored token, refreshed on 401), a bare token (Connect), or nobody (identity server). */
export type Credentials = { installationId: string } | { accessToken: string } | null;

export type HttpRequest = {
  method: "GET" | "POST" | "DELETE";
  /** Absolute URL without the query. */
  url: string;
  query?: URLSearchParams;
  json?: unknown;
  form?: URLSearchParams;
  /** Default: true for GET and DELETE, false for POST (a repeated POST may create twice). */
  isIdempotent?: boolean;
};

export type HttpReply = { status: number; headers: Headers; body: unknown };

export type Transport = {
  /** A 2xx reply (body parsed as JSON, null when empty); anything else throws OfficeRndError. */
  send: (request: HttpRequest) => Promise<HttpReply>;
  /** send, then `schema`: a wrong shape is retried (idempotent requests), then `invalid_response`. */
  sendParsed: <T>(request: HttpRequest, schema: z.ZodType<T>) => Promise<HttpReply & { data: T }>;
};

/** How long a transport reuses a token before asking the token store (which refreshes near expiry). */
const TOKEN_REUSE_MS = 30_000;
const PARSE_ATTEMPTS = 3;

type Failed = {
  outcome: AttemptOutcome;
  detail: string;
  upstreamMessage: string | null;
  oauthError: string | null;
};
type Attempt = { ok: true; reply: HttpReply } | ({ ok: false } & Failed);

const errorBodySchema = z.looseObject({
  message: z.union([z.string(), z.array(z.string())]).optional(),
  error: z.string().optional(),
  error_description: z.string().optional(),
});

/** The route without query or host, for logs and messages. */
export function routeOf(request: Pick<HttpRequest, "method" | "url">): string {
  try {
    return `${request.method} ${new URL(request.url).pathname}`;
  } catch {
    return `${request.method} ${request.url}`;
  }
}

export function createTransport(credentials: Credentials, deps: TransportDeps = {}): Transport {
  const fetcher = deps.fetch ?? fetch;
  const getToken = deps.getToken ?? getAccessToken;
  const budget = deps.budget ?? null;
  const policy = { ...DEFAULT_RETRY_POLICY, ...deps.policy };
  const timeoutMs = deps.timeoutMs ?? env().OFFICERND_HTTP_TIMEOUT_MS;
  const sleep = deps.sleep ?? defaultSleep;
  const random = deps.random ?? Math.random;
  const now = deps.now ?? Date.now;

  // The token is reused for a short while: asking the token store costs a database read and a decrypt
  // per request otherwise. A rejected token is replaced at once (401 → forced refresh).
  let cached: { token: string; until: number } | null = null;
  async function currentToken(): Promise<string | null> {
    if (credentials === null) return null;
    if ("accessToken" in credentials) return credentials.accessToken;
    if (cached && now() < cached.until) return cached.token;
    const token = await getToken(credentials.installationId);
    cached = { token, until: now() + TOKEN_REUSE_MS };
    return token;
  }

  async function attempt(request: HttpRequest, token: string | null): Promise<Attempt> {
    if (budget) await budget.acquire(deps.signal);
    const url =
      request.query && request.query.size > 0 ? `${request.url}?${request.query.toString()}` : request.url;
    const headers: Record<string, string> = { accept: "application/json" };
    if (token !== null) headers.authorization = `Bearer ${token}`;
    let body: string | URLSearchParams | undefined;
    if (request.json !== undefined) {
      headers["content-type"] = "application/json";
      body = JSON.stringify(request.json);
    } else if (request.form) {
      headers["content-type"] = "application/x-www-form-urlencoded";
      body = request.form;
    }
    const timeout = AbortSignal.timeout(timeoutMs);
    let response: Response;
    try {
      response = await fetcher(url, {
        method: request.method,
        headers,
        body,
        cache: "no-store",
        signal: deps.signal ? AbortSignal.any([timeout, deps.signal]) : timeout,
      });
    } catch (error) {
      if (deps.signal?.aborted) throw deps.signal.reason;
      const isTimeout = timeout.aborted || (error instanceof Error && error.name === "TimeoutError");
      return {
        ok: false,
        outcome: { kind: isTimeout ? "timeout" : "network" },
        detail: describe(error),
        upstreamMessage: null,
        oauthError: null,
      };
    }
    if (!response.ok) {
      // Drain the body so the connection can be reused; its text is only logged, cut short.
      const text = await response.text().catch(() => "");
      const retryAfter = response.headers.get("retry-after");
      if (response.status === 429 && budget)
        await budget.penalize(parseRetryAfter(retryAfter, now()) ?? 1000);
      const errorBody = errorBodySchema.safeParse(safeJson(text)).data;
      const message = errorBody?.message;
      return {
        ok: false,
        outcome: { kind: "response", status: response.status, retryAfter },
        detail: text.slice(0, 200),
        upstreamMessage:
          (Array.isArray(message) ? message.join("; ") : (message ?? errorBody?.error ?? null))?.slice(
            0,
            200,
          ) ?? null,
        oauthError: errorBody?.error ?? null,
      };
    }
    try {
      const text = await response.text();
      return {
        ok: true,
        reply: {
          status: response.status,
          headers: response.headers,
          body: text === "" ? null : (JSON.parse(text) as unknown),
        },
      };
    } catch (error) {
      if (deps.signal?.aborted) throw deps.signal.reason;
      // A connection dropped mid-body, or a body that is not JSON (an HTML error page): both may heal.
      return {
        ok: false,
        outcome: { kind: "invalid-body" },
        detail: describe(error),
        upstreamMessage: null,
        oauthError: null,
      };
    }
  }

  async function send(request: HttpRequest): Promise<HttpReply> {
    const isIdempotent = request.isIdempotent ?? request.method !== "POST";
    let token = await currentToken();
    let hasRefreshed = credentials === null || "accessToken" in credentials; // Only a stored token can be refreshed.
    for (let attemptNumber = 1; ; attemptNumber++) {
      const result = await attempt(request, token);
      if (result.ok) return result.reply;
      const { outcome } = result;
      const isRefusedBeforeActing =
        outcome.kind === "response" && (outcome.status === 429 || outcome.status === 503);
      const decision =
        isIdempotent || isRefusedBeforeActing || (outcome.kind === "response" && outcome.status === 401)
          ? decideRetry({ outcome, attempt: attemptNumber, hasRefreshed, policy, nowMs: now(), random })
          : ({ action: "give-up" } as const);
      if (decision.action === "give-up") throw toError(request, result, now());
      if (decision.action === "refresh-token" && credentials && "installationId" in credentials) {
        hasRefreshed = true;
        token = await getToken(credentials.installationId, {
          forceRefresh: true,
          rejectedToken: token ?? undefined,
        });
        cached = { token, until: now() + TOKEN_REUSE_MS };
        attemptNumber--; // A refresh is not a failed attempt.
        continue;
      }
      if (decision.action !== "retry") throw toError(request, result, now());
      log.debug({ route: routeOf(request), outcome, delayMs: decision.delayMs }, "officernd request retry");
      await sleep(decision.delayMs, deps.signal);
    }
  }

  async function sendParsed<T>(request: HttpRequest, schema: z.ZodType<T>): Promise<HttpReply & { data: T }> {
    const isIdempotent = request.isIdempotent ?? request.method !== "POST";
    for (let parseAttempt = 1; ; parseAttempt++) {
      const reply = await send(request);
      const check = schema.safeParse(reply.body);
      if (check.success) return { ...reply, data: check.data };
      // A 2xx of the wrong shape may be a garbled answer: retry it a little, then report the exact field.
      const problem = describeIssues(check.error);
      if (!isIdempotent || parseAttempt >= PARSE_ATTEMPTS) {
        log.warn({ route: routeOf(request), problem }, "officernd answered with an unexpected shape");
        throw new OfficeRndError(
          "invalid_response",
          `OfficeRnD ${routeOf(request)} answered with an unexpected shape: ${problem}`,
          {
            route: routeOf(request),
            httpStatus: reply.status,
          },
        );
      }
      await sleep(policy.baseDelayMs * parseAttempt, deps.signal);
    }
  }

  return { send, sendParsed };
}

function toError(request: HttpRequest, result: Failed, nowMs: number): OfficeRndError {
  const route = routeOf(request);
  const { outcome } = result;
  const what = `OfficeRnD ${route}`;
  if (outcome.kind === "timeout")
    return new OfficeRndError("timeout", `${what} did not answer in time.`, { route });
  if (outcome.kind === "network")
    return new OfficeRndError("unreachable", `${what} could not be reached: ${result.detail}`, { route });
  if (outcome.kind === "invalid-body")
    return new OfficeRndError("invalid_response", `${what} answered with a body that is not JSON.`, {
      route,
    });
  const reason: UpstreamFailure =
    result.oauthError === "invalid_grant" ? "invalid_grant" : failureOfStatus(outcome.status);
  const detail = result.upstreamMessage ?? result.detail;
  const said = reason === "unauthorized" ? "refused the access token (401)" : `answered ${outcome.status}`;
  return new OfficeRndError(reason, `${what} ${said}${detail ? `: ${detail}` : ""}.`, {
    route,
    httpStatus: outcome.status,
    upstreamMessage: result.upstreamMessage,
    oauthError: result.oauthError,
    retryAfterMs: parseRetryAfter(outcome.retryAfter, nowMs) ?? null,
  });
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause =
    error.cause instanceof Error
      ? `: ${(error.cause as Error & { code?: string }).code ?? error.cause.message}`
      : "";
  return `${error.name}${cause}`;
}
