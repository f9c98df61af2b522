// Starts an emulator in-process on a free port and wraps the HTTP calls tests make against it.
import type { EmulatorOptions } from "../../src/options";
import { startEmulator } from "../../src/server";

export type Harness = Awaited<ReturnType<typeof startHarness>>;

// Test responses are checked by assertions, not by types.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export type JsonResponse<T = Json> = { status: number; headers: Headers; body: T };

async function asJson<T>(response: Response): Promise<JsonResponse<T>> {
  const text = await response.text();
  let body: unknown = text;
  try {
    body = text === "" ? null : JSON.parse(text);
  } catch {
    // leave non-JSON bodies as text
  }
  return { status: response.status, headers: response.headers, body: body as T };
}

export const ACME = "acme-coworking";
export const GLOBEX = "globex-spaces";
export const CLIENT = { id: "demo-partner-app", secret: "demo-partner-secret" };

export async function startHarness(options: Partial<EmulatorOptions> = {}) {
  const emulator = await startEmulator({
    port: 0,
    tokenRateLimit: 0,
    readRateLimit: 0,
    writeRateLimit: 0,
    webhookRetryBaseMs: 20,
    ...options,
  });
  const { url } = emulator;

  async function request<T = Json>(path: string, init: RequestInit = {}): Promise<JsonResponse<T>> {
    return asJson<T>(await fetch(`${url}${path}`, { redirect: "manual", ...init }));
  }

  /** A control-API call; fails the test on a non-2xx answer unless `allowError`. */
  async function control<T = Json>(
    path: string,
    body?: unknown,
    method = body === undefined ? "GET" : "POST",
  ): Promise<T> {
    const response = await request<T>(`/_emulator${path}`, {
      method,
      headers: { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (response.status >= 300)
      throw new Error(`${method} /_emulator${path} → ${response.status}: ${JSON.stringify(response.body)}`);
    return response.body;
  }

  /** POST /oauth/token with a form body. */
  function tokenRequest(fields: Record<string, string>) {
    return request("/oauth/token", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(fields).toString(),
    });
  }

  /** An access token minted through the control API (no token rate limit involved). */
  async function token(scope = "officernd.api.read officernd.api.write", org = ACME): Promise<string> {
    return (await control<{ access_token: string }>("/tokens", { org, scope })).access_token;
  }

  function api<T = Json>(path: string, accessToken: string, init: RequestInit = {}) {
    return request<T>(path, {
      ...init,
      headers: {
        authorization: `Bearer ${accessToken}`,
        ...(init.body ? { "content-type": "application/json" } : {}),
        ...init.headers,
      },
    });
  }

  async function state() {
    return control<{
      organizations: Array<{
        _id: string;
        slug: string;
        adminUserId: string;
        locations: Array<{ _id: string; memberCount: number; companyCount: number }>;
      }>;
    }>("/state");
  }

  /** Every record the emulator holds for an org (the NDJSON snapshot). */
  async function snapshot<T = Json>(slug: string, kind: string, location?: string): Promise<T[]> {
    const query = new URLSearchParams({ kind, ...(location ? { location } : {}) });
    const response = await fetch(`${url}/_emulator/data/${slug}?${query.toString()}`);
    const text = await response.text();
    return text
      .split("\n")
      .filter((line) => line !== "")
      .map((line) => JSON.parse(line) as T);
  }

  return {
    url,
    regionUrl: emulator.regionUrl,
    close: emulator.close,
    request,
    control,
    tokenRequest,
    token,
    api,
    state,
    snapshot,
  };
}
