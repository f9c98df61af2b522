// The check's HTTP calls: one timeout, the body read once and parsed as JSON when it is JSON, and a
// note of every request-rate header OfficeRnD sends. Failures are values, never exceptions.

export type ProbeAnswer =
  | { ok: true; status: number; headers: Headers; body: unknown; text: string }
  | { ok: false; status: number | null; headers: Headers | null; body: unknown; text: string; reason: string };

export type ProbeRequest = { method?: "GET" | "POST" | "DELETE"; url: string; token?: string; form?: Record<string, string>; json?: unknown };

const RATE_HEADER = /^(x-)?rate-?limit|^retry-after$/i;

export type ProbeHttp = {
  request(request: ProbeRequest): Promise<ProbeAnswer>;
  /** Names of request-rate headers seen on any answer, e.g. `x-ratelimit-remaining`. */
  rateHeaders: Set<string>;
  /** Every request made, as `METHOD path` (no query values, no tokens). */
  calls: string[];
};

function parseJson(text: string): unknown {
  if (text.trim() === "") return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

export function createProbeHttp({ timeoutMs, fetchImpl = fetch }: { timeoutMs: number; fetchImpl?: typeof fetch }): ProbeHttp {
  const rateHeaders = new Set<string>();
  const calls: string[] = [];
  return {
    rateHeaders,
    calls,
    async request({ method = "GET", url, token, form, json }) {
      calls.push(`${method} ${new URL(url).pathname}`);
      const headers: Record<string, string> = { accept: "application/json" };
      if (token) headers.authorization = `Bearer ${token}`;
      let body: string | undefined;
      if (form) {
        headers["content-type"] = "application/x-www-form-urlencoded";
        body = new URLSearchParams(form).toString();
      } else if (json !== undefined) {
        headers["content-type"] = "application/json";
        body = JSON.stringify(json);
      }
      let response: Response;
      try {
        response = await fetchImpl(url, { method, headers, body, redirect: "manual", signal: AbortSignal.timeout(timeoutMs) });
      } catch (error) {
        const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : error instanceof Error ? error.message : String(error);
        const reason = error instanceof Error && error.name === "TimeoutError" ? `no answer within ${timeoutMs} ms` : `unreachable (${cause})`;
        return { ok: false, status: null, headers: null, body: undefined, text: "", reason };
      }
      response.headers.forEach((_value, name) => {
        if (RATE_HEADER.test(name)) rateHeaders.add(name.toLowerCase());
      });
      const text = await response.text().catch(() => "");
      const parsed = parseJson(text);
      if (response.status >= 200 && response.status < 300) {
        if (parsed === undefined)
          return { ok: false, status: response.status, headers: response.headers, body: undefined, text, reason: `HTTP ${response.status} but not JSON` };
        return { ok: true, status: response.status, headers: response.headers, body: parsed, text };
      }
      return { ok: false, status: response.status, headers: response.headers, body: parsed, text, reason: describeFailure(response.status, parsed, text) };
    },
  };
}

/** `403 Insufficient scope: …`, `400 invalid_scope: unknown scope …` — status plus OfficeRnD's own words. */
export function describeFailure(status: number, body: unknown, text: string): string {
  const fields = typeof body === "object" && body !== null ? (body as Record<string, unknown>) : {};
  const oauth = typeof fields.error === "string" && typeof fields.error_description === "string" ? `${fields.error}: ${fields.error_description}` : null;
  const message = Array.isArray(fields.message) ? fields.message.join("; ") : typeof fields.message === "string" ? fields.message : null;
  const words = oauth ?? message ?? (typeof fields.error === "string" ? fields.error : text.replace(/\s+/g, " ").slice(0, 120));
  return `HTTP ${status}${words ? ` ${words}` : ""}`;
}
