import { createTransport, type HttpRequest } from "@/lib/officernd/transport";
import { isOfficeRndError } from "@/lib/officernd/upstream-failures";

// The check's calls go through the app's one OfficeRnD layer (transport.ts) without a request budget.
// Around it, the check notes every request-rate header OfficeRnD sends and keeps the last error body so a
// ✗ can quote OfficeRnD's own words. Failures are values, never exceptions.

export type ProbeAnswer =
  | { ok: true; status: number; headers: Headers; body: unknown }
  | { ok: false; status: number | null; headers: Headers | null; body: unknown; reason: string };

export type ProbeRequest = {
  method?: "GET" | "POST" | "DELETE";
  url: string;
  token?: string;
  form?: Record<string, string>;
  json?: unknown;
};

const RATE_HEADER = /^(x-)?rate-?limit|^retry-after$/i;

export type ProbeHttp = {
  request(request: ProbeRequest): Promise<ProbeAnswer>;
  /** Names of request-rate headers seen on any answer, e.g. `x-ratelimit-remaining`. */
  rateHeaders: Set<string>;
  /** Every request made, as `METHOD path` (no query values, no tokens). */
  calls: string[];
};

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

export function createProbeHttp({
  timeoutMs,
  fetchImpl = fetch,
}: {
  timeoutMs: number;
  fetchImpl?: typeof fetch;
}): ProbeHttp {
  const rateHeaders = new Set<string>();
  const calls: string[] = [];
  let last: { status: number; headers: Headers; text: string } | null = null;
  const observingFetch: typeof fetch = async (input, init) => {
    const response = await fetchImpl(input, init);
    response.headers.forEach((_value, name) => {
      if (RATE_HEADER.test(name)) rateHeaders.add(name.toLowerCase());
    });
    last = {
      status: response.status,
      headers: response.headers,
      text: response.ok ? "" : await response.clone().text(),
    };
    return response;
  };
  return {
    rateHeaders,
    calls,
    async request({ method = "GET", url, token, form, json }) {
      const target = new URL(url);
      calls.push(`${method} ${target.pathname}`);
      const query = target.search ? new URLSearchParams(target.search) : undefined;
      target.search = "";
      const request: HttpRequest = {
        method,
        url: target.toString(),
        ...(query ? { query } : {}),
        ...(form ? { form: new URLSearchParams(form) } : {}),
        ...(json !== undefined ? { json } : {}),
      };
      // One more attempt only when OfficeRnD asks to wait (429/503): the check reports, it does not insist.
      const transport = createTransport(token ? { accessToken: token } : null, {
        fetch: observingFetch,
        budget: null,
        timeoutMs,
        policy: { maxAttempts: 2 },
      });
      last = null;
      try {
        const reply = await transport.send(request);
        return { ok: true, status: reply.status, headers: reply.headers, body: reply.body };
      } catch (error) {
        if (!isOfficeRndError(error)) throw error;
        const seen = last as { status: number; headers: Headers; text: string } | null;
        const body = seen ? parseJson(seen.text) : undefined;
        const reason =
          error.httpStatus !== null && seen
            ? describeFailure(error.httpStatus, body, seen.text)
            : error.reason === "timeout"
              ? `no answer within ${timeoutMs} ms`
              : error.reason === "unreachable"
                ? `unreachable (${error.message})`
                : error.message;
        return { ok: false, status: error.httpStatus, headers: seen?.headers ?? null, body, reason };
      }
    },
  };
}

/** `403 Insufficient scope: …`, `400 invalid_scope: …`: the status plus OfficeRnD's own words. */
export function describeFailure(status: number, body: unknown, text: string): string {
  const fields = typeof body === "object" && body !== null ? (body as Record<string, unknown>) : {};
  const oauth =
    typeof fields.error === "string" && typeof fields.error_description === "string"
      ? `${fields.error}: ${fields.error_description}`
      : null;
  const message = Array.isArray(fields.message)
    ? fields.message.join("; ")
    : typeof fields.message === "string"
      ? fields.message
      : null;
  const words =
    oauth ??
    message ??
    (typeof fields.error === "string" ? fields.error : text.replace(/\s+/g, " ").slice(0, 120));
  return `HTTP ${status}${words ? ` ${words}` : ""}`;
}
