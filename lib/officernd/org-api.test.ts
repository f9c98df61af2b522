import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { UNDECIDED, type StoredGeneration } from "@/lib/officernd/api-generation";
import { createOrgApi, type OrgApiDeps } from "@/lib/officernd/org-api";
import { defaultSleep } from "@/lib/officernd/request-budget";

// The organisation API (API v2 here; v1 and auto in org-api-generations.test.ts) with every dependency
// injected: a scripted fetch, a counting budget, a token source.

type Step =
  | { status: number; body?: unknown; headers?: Record<string, string> }
  | "drop"
  | "timeout"
  | "garbage"
  | "cut";

function harness(steps: Step[], overrides: Partial<OrgApiDeps> = {}) {
  const calls: { url: string; authorization: string | null }[] = [];
  const sleeps: number[] = [];
  const tokenRequests: { forceRefresh?: boolean; rejectedToken?: string }[] = [];
  let budgetTaken = 0;
  let penalties = 0;
  let tokenVersion = 1;
  const fetchStub = (async (input: string | URL | Request, init?: RequestInit) => {
    calls.push({ url: String(input), authorization: new Headers(init?.headers).get("authorization") });
    const step = steps.shift() ?? { status: 200, body: { results: [], cursorNext: null } };
    if (step === "drop")
      throw new TypeError("fetch failed", {
        cause: Object.assign(new Error("other side closed"), { code: "UND_ERR_SOCKET" }),
      });
    if (step === "timeout")
      throw new DOMException("The operation was aborted due to timeout", "TimeoutError");
    if (step === "garbage") return new Response('{"results":[{"_id":', { status: 200 });
    if (step === "cut") {
      // Headers arrive, then the connection drops half-way through the body.
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(new TextEncoder().encode('{"results":[{"_id":"a"},'));
          controller.error(
            new TypeError("terminated", {
              cause: Object.assign(new Error("other side closed"), { code: "UND_ERR_SOCKET" }),
            }),
          );
        },
      });
      return new Response(body, { status: 200 });
    }
    return new Response(step.body === undefined ? "" : JSON.stringify(step.body), {
      status: step.status,
      headers: step.headers,
    });
  }) as typeof fetch;
  const client = createOrgApi(
    { installationId: "inst-1", orgSlug: "acme", regionUrl: "https://region.test/" },
    {
      mode: "v2",
      readStored: async () => UNDECIDED,
      record: async () => {},
      fetch: fetchStub,
      getToken: async (_id, options = {}) => {
        tokenRequests.push(options);
        if (options.forceRefresh) tokenVersion++;
        return `token-${tokenVersion}`;
      },
      budget: {
        acquire: async () => {
          budgetTaken++;
        },
        penalize: async () => {
          penalties++;
        },
      },
      timeoutMs: 1000,
      sleep: async (ms) => {
        sleeps.push(ms);
      },
      random: () => 0.5,
      now: () => Date.UTC(2025, 0, 1),
      ...overrides,
    },
  );
  return { client, calls, sleeps, tokenRequests, budget: () => ({ budgetTaken, penalties }) };
}

const page = (ids: string[], cursorNext: string | null = null, fields: Record<string, unknown> = {}) => ({
  status: 200,
  body: {
    results: ids.map((_id) => ({ _id, name: _id, modifiedAt: "2025-01-01T00:00:00.000Z", ...fields })),
    cursorNext,
  },
});

describe("listPage", () => {
  it("requests the v2 list with the query and a Bearer token, and parses the page", async () => {
    const { client, calls } = harness([page(["a", "b"], "next-cursor", { location: "loc1" })]);
    const result = await client.listPage("members", new URLSearchParams({ location: "loc1", $limit: "50" }));
    expect(calls[0]).toEqual({
      url: "https://region.test/api/v2/organizations/acme/members?location=loc1&%24limit=50",
      authorization: "Bearer token-1",
    });
    expect(result.results.map((record) => record._id)).toEqual(["a", "b"]);
    expect(result).toMatchObject({ cursorNext: "next-cursor", invalid: 0 });
  });

  it("drops records of another location than the one asked for (a filter OfficeRnD ignored)", async () => {
    const { client } = harness([
      {
        status: 200,
        body: {
          results: [{ _id: "a", location: "loc1" }, { _id: "b", location: "loc2" }, { _id: "c" }],
          cursorNext: null,
        },
      },
    ]);
    const result = await client.listPage("members", new URLSearchParams({ location: "loc1" }));
    expect(result.results.map((record) => record._id)).toEqual(["a"]);
  });

  it("counts unreadable records instead of failing the page, and accepts a bare array", async () => {
    const { client } = harness([{ status: 200, body: [{ _id: "a" }, { name: "no id" }, 42] }]);
    expect(await client.listPage("companies", new URLSearchParams())).toMatchObject({
      results: [{ _id: "a" }],
      invalid: 2,
      cursorNext: null,
    });
  });

  it("retries 429 after Retry-After and tells the shared budget", async () => {
    const { client, calls, sleeps, budget } = harness([
      { status: 429, headers: { "retry-after": "3" } },
      page(["a"]),
    ]);
    await client.listPage("members", new URLSearchParams());
    expect(calls).toHaveLength(2);
    expect(sleeps[0]).toBeGreaterThanOrEqual(3000);
    expect(budget()).toEqual({ budgetTaken: 2, penalties: 1 });
  });

  it("retries 5xx, dropped connections, timeouts and garbled bodies with growing waits", async () => {
    const { client, calls, sleeps } = harness([
      { status: 500 },
      "drop",
      "timeout",
      "garbage",
      { status: 503 },
      page(["a"]),
    ]);
    const result = await client.listPage("members", new URLSearchParams());
    expect(result.results).toHaveLength(1);
    expect(calls).toHaveLength(6);
    expect(sleeps).toEqual([250, 500, 1000, 2000, 4000]);
  });

  it("retries a connection dropped in the middle of a page's body", async () => {
    const { client, calls } = harness(["cut", page(["a", "b"])]);
    expect((await client.listPage("members", new URLSearchParams())).results).toHaveLength(2);
    expect(calls).toHaveLength(2);
  });

  it("gives up after maxAttempts with an upstream error", async () => {
    const { client, calls } = harness(
      Array.from({ length: 10 }, () => ({ status: 502 })),
      { policy: { maxAttempts: 3 } },
    );
    await expect(client.listPage("members", new URLSearchParams())).rejects.toMatchObject({
      code: "upstream_error",
    });
    expect(calls).toHaveLength(3);
  });

  it.each([
    [400, "bad_request"],
    [403, "forbidden"],
    [404, "not_found"],
    [422, "bad_request"],
  ])("does not retry %i", async (status, code) => {
    const { client, calls } = harness([{ status, body: { statusCode: status, message: "no" } }]);
    const error = await client.listPage("members", new URLSearchParams()).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code });
    expect(calls).toHaveLength(1);
  });

  it("refreshes the token once on 401 and retries with the new one", async () => {
    const { client, calls, tokenRequests } = harness([{ status: 401 }, page(["a"])]);
    await client.listPage("members", new URLSearchParams());
    expect(calls.map((call) => call.authorization)).toEqual(["Bearer token-1", "Bearer token-2"]);
    expect(tokenRequests[1]).toEqual({ forceRefresh: true, rejectedToken: "token-1" });
  });

  it("answers reconnect_required when the refreshed token is refused too", async () => {
    const { client, calls } = harness([{ status: 401 }, { status: 401 }, page(["a"])]);
    await expect(client.listPage("members", new URLSearchParams())).rejects.toMatchObject({
      code: "reconnect_required",
    });
    expect(calls).toHaveLength(2);
  });

  it("stops waiting when its signal aborts", async () => {
    // The real sleep, asked to wait the minute OfficeRnD's Retry-After names; the signal aborts once it
    // waits. Without the signal reaching the sleep this test would wait a minute (and time out).
    const controller = new AbortController();
    const waits: number[] = [];
    const { client, calls } = harness([{ status: 429, headers: { "retry-after": "60" } }, page(["a"])], {
      signal: controller.signal,
      sleep: (ms, signal) => {
        waits.push(ms);
        const waiting = defaultSleep(ms, signal);
        controller.abort(new Error("cancelled"));
        return waiting;
      },
    });
    await expect(client.listPage("members", new URLSearchParams())).rejects.toThrow("cancelled");
    expect(waits).toHaveLength(1);
    expect(waits[0]).toBeGreaterThanOrEqual(60_000);
    expect(calls).toHaveLength(1);
  });
});

describe("getRecord and deleteWebhook", () => {
  it("getRecord returns null on 404", async () => {
    const { client } = harness([{ status: 404 }]);
    expect(await client.getRecord("members", "gone")).toBeNull();
  });

  it("deleteWebhook sends DELETE and treats 404 as already gone", async () => {
    const { client, calls } = harness([{ status: 200, body: { _id: "w1" } }, { status: 404 }]);
    expect(await client.deleteWebhook("w1")).toBe("deleted");
    expect(await client.deleteWebhook("w2")).toBe("not_found");
    expect(calls[0]?.url).toBe("https://region.test/api/v2/organizations/acme/webhooks/w1");
  });
});

describe("API v1 and auto (OFFICERND_API=auto)", () => {
  type Call = { url: string };
  function autoHarness(
    answer: (url: URL) => Response,
    stored: StoredGeneration,
    nowMs = Date.UTC(2026, 10, 30, 12),
  ) {
    const calls: Call[] = [];
    const recorded: { generation: string; reason: string }[] = [];
    const api = createOrgApi(
      { installationId: "inst-1", orgSlug: "acme", regionUrl: "https://region.test" },
      {
        mode: "auto",
        readStored: async () => stored,
        record: async ({ generation, reason }) => void recorded.push({ generation, reason }),
        fetch: (async (input: string | URL | Request) => {
          calls.push({ url: String(input) });
          return answer(new URL(String(input)));
        }) as typeof fetch,
        getToken: async () => "token",
        budget: null,
        timeoutMs: 1000,
        sleep: async () => {},
        now: () => nowMs,
      },
    );
    return { api, calls, recorded };
  }
  const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
    new Response(JSON.stringify(body), { status, headers });
  const legacyOnly = (url: URL) =>
    url.pathname.startsWith("/api/v2/")
      ? json({ statusCode: 403, message: "Forbidden resource", error: "Forbidden" }, 403)
      : url.pathname.endsWith("/members/m1")
        ? json({ _id: "m1", name: "A", office: "L1", team: "C1", status: "active" })
        : url.searchParams.get("$next") === "p2"
          ? json([{ _id: "m3", name: "C", office: "L1", team: "C1", status: "active" }])
          : json(
              [
                { _id: "m1", name: "A", office: "L1", team: "C1", status: "active" },
                { _id: "m2", name: "B", office: "L1" },
              ],
              200,
              { "rnd-cursor-next": "p2" },
            );

  it("falls back to v1 when v2 refuses the scope, remembers it, and walks v1's cursor header", async () => {
    const { api, calls, recorded } = autoHarness(legacyOnly, UNDECIDED);
    const first = await api.listPage("members", new URLSearchParams({ location: "L1", $limit: "50" }));
    expect(first.results.map((record) => [record._id, record.location, record.company])).toEqual([
      ["m1", "L1", "C1"],
      ["m2", "L1", undefined],
    ]);
    expect(first.cursorNext).toBe("v1:p2");
    expect(recorded).toEqual([{ generation: "v1", reason: expect.stringContaining("403") }]);
    const second = await api.listPage(
      "members",
      new URLSearchParams({ location: "L1", $limit: "50", $cursorNext: first.cursorNext! }),
    );
    expect(second).toMatchObject({ results: [{ _id: "m3" }], cursorNext: null });
    expect(calls.map((call) => call.url)).toEqual([
      "https://region.test/api/v2/organizations/acme/members?location=L1&%24limit=50",
      "https://region.test/api/v1/organizations/acme/members?office=L1&%24limit=100",
      // Decided: v2 is not asked again in this client.
      "https://region.test/api/v1/organizations/acme/members?office=L1&%24limit=100&%24next=p2",
    ]);
  });

  it("stays on v1 within the day without asking v2, and tries v2 again a day later", async () => {
    const now = Date.UTC(2026, 10, 30, 12);
    const recent = autoHarness(
      legacyOnly,
      { generation: "v1", reason: "r", decidedAt: new Date(now - 3_600_000) },
      now,
    );
    await recent.api.getRecord("members", "m1");
    expect(recent.calls.map((call) => new URL(call.url).pathname)).toEqual([
      "/api/v1/organizations/acme/members/m1",
    ]);
    expect(recent.recorded).toEqual([]);

    const dayOld = autoHarness(
      () => json({ _id: "m1", name: "A", location: "L1", status: "active" }),
      { generation: "v1", reason: "r", decidedAt: new Date(now - 86_400_000) },
      now,
    );
    expect(await dayOld.api.getRecord("members", "m1")).toMatchObject({ _id: "m1", location: "L1" });
    expect(dayOld.calls.map((call) => new URL(call.url).pathname)).toEqual([
      "/api/v2/organizations/acme/members/m1",
    ]);
    expect(dayOld.recorded).toEqual([{ generation: "v2", reason: "API v2 answered" }]);
  });

  it("a 404 on v2's route falls back; a 404 for the record is 'not found'", async () => {
    const noRoute = autoHarness(
      (url) =>
        url.pathname.startsWith("/api/v2/")
          ? json({ statusCode: 404, message: `Cannot GET ${url.pathname}`, error: "Not Found" }, 404)
          : json({ _id: "m1", name: "A", office: "L1" }),
      UNDECIDED,
    );
    expect(await noRoute.api.getRecord("members", "m1")).toMatchObject({ _id: "m1", location: "L1" });
    const gone = autoHarness(
      () => json({ statusCode: 404, message: "Member not found", error: "Not Found" }, 404),
      UNDECIDED,
    );
    expect(await gone.api.getRecord("members", "m1")).toBeNull();
    expect(gone.calls).toHaveLength(1);
  });

  it("creates webhooks in each generation's shape (v1 answers an array)", async () => {
    const { api, calls } = autoHarness(
      (url) =>
        url.pathname.startsWith("/api/v2/")
          ? json({ statusCode: 403, message: "Forbidden resource" }, 403)
          : json(
              [
                {
                  _id: "w1",
                  url: "https://app.test/hook",
                  secret: "s",
                  eventTypes: ["member.created"],
                  enabled: true,
                },
              ],
              201,
            ),
      UNDECIDED,
    );
    expect(
      await api.createWebhook({
        url: "https://app.test/hook",
        eventTypes: ["member.created"],
        description: "d",
      }),
    ).toEqual({
      remoteId: "w1",
      secret: "s",
      eventTypes: ["member.created"],
    });
    expect(calls.map((call) => new URL(call.url).pathname)).toEqual([
      "/api/v2/organizations/acme/webhooks",
      "/api/v1/organizations/acme/webhooks",
    ]);
  });

  describe("a full v1 page without rnd-cursor-next", () => {
    const v1Stored: StoredGeneration = {
      generation: "v1",
      reason: "r",
      decidedAt: new Date(Date.UTC(2026, 10, 30, 11)),
    };
    const members = (count: number) =>
      Array.from({ length: count }, (_, index) => ({
        _id: `m${index}`,
        name: "A",
        office: "L1",
        team: "C1",
        status: "active",
      }));

    it("is the last page when the same page asked for one less carries a cursor (one extra request)", async () => {
      const { api, calls } = autoHarness(
        (url) =>
          url.searchParams.get("$limit") === "99"
            ? json(members(99), 200, { "rnd-cursor-next": "p2" })
            : json(members(100)),
        v1Stored,
      );
      const page = await api.listPage("members", new URLSearchParams({ location: "L1" }));
      expect(page.results).toHaveLength(100);
      expect(page.cursorNext).toBeNull();
      expect(calls.map((call) => new URL(call.url).searchParams.get("$limit"))).toEqual(["100", "99"]);
    });

    it("stays refused when OfficeRnD gives no cursor for one less either (a list cut off; the sweep must not run)", async () => {
      const { api } = autoHarness((url) => json(members(Number(url.searchParams.get("$limit")))), v1Stored);
      await expect(api.listPage("members", new URLSearchParams({ location: "L1" }))).rejects.toThrow(
        /a full page of 100 without rnd-cursor-next/,
      );
    });
  });
});
