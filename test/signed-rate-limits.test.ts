// Issue 12 item 2: slugs are public, so an organisation's budget is charged only after a signature
// verified; failed verifications are limited per client IP. A flood of `?slug=victim&signature=junk`
// must not make OfficeRnD's real healthcheck/configure/sync calls for that organisation get 429, and a
// flood of `/connect?org_slug=victim` must not refuse the organisation's real Connect.
import { NextRequest } from "next/server";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import * as configureRoute from "@/app/configure/route";
import * as healthcheckRoute from "@/app/api/officernd/healthcheck/route";
import * as syncRoute from "@/app/api/officernd/sync/route";
import { resetEnvForTests } from "@/lib/env";
import { resetPublicGuardsForTests } from "@/lib/http/public-guards";
import { proxy } from "@/proxy";
import {
  createSignedFixture,
  BASE_URL,
  officeRndParams,
  signedUrl,
  type SignedFixture,
} from "./signed-helpers";

vi.mock("next/headers", () => ({ cookies: async () => ({ get: () => undefined }) }));

const ORG_LIMIT = 20;
const FAILURE_LIMIT = 10;
const LIMITS = {
  RATE_LIMIT_PER_IP_PER_MINUTE: "100000",
  RATE_LIMIT_PER_ORG_PER_MINUTE: String(ORG_LIMIT),
  RATE_LIMIT_FAILED_VERIFICATIONS_PER_IP_PER_MINUTE: String(FAILURE_LIMIT),
  // The client IP comes from the connection (the header the server hook sets) or, one proxy deep,
  // from X-Forwarded-For; the requests below carry the same address in both.
  TRUSTED_PROXY_HOPS: "0",
};

beforeAll(() => {
  Object.assign(process.env, LIMITS);
});
const previous = Object.fromEntries(Object.keys(LIMITS).map((name) => [name, process.env[name]]));
afterAll(() => {
  for (const [name, value] of Object.entries(previous)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  resetEnvForTests();
  resetPublicGuardsForTests();
});

let fixture: SignedFixture;
beforeEach(async () => {
  resetEnvForTests();
  resetPublicGuardsForTests();
  fixture = await createSignedFixture({ accountName: "Victim Ltd" });
});

const OFFICERND_IP = "198.51.100.7";
const fromIp = (ip: string) => ({ headers: { "x-forwarded-for": ip, "x-partner-connection-ip": ip } });
const junk = (slug: string, index: number) =>
  `${BASE_URL}/api/officernd/healthcheck?slug=${slug}&locations=&signature=t%3D${Math.floor(Date.now() / 1000)}%2Csignature%3D${String(index).padStart(64, "0")}`;
const real = (path: string, extra: [string, string][] = []) =>
  signedUrl(path, officeRndParams(fixture, extra), fixture.secret);

describe("the organisation's budget is charged only after a signature verifies", () => {
  it("a flood of ?slug=victim&signature=junk from many addresses leaves OfficeRnD's healthcheck, configure and sync calls answered", async () => {
    const slug = fixture.installation.orgSlug;
    for (let index = 0; index < ORG_LIMIT * 3; index++) {
      const response = await healthcheckRoute.GET(
        new Request(junk(slug, index), fromIp(`203.0.113.${index % 250}`)),
      );
      expect(response.status).toBe(401);
    }
    expect(
      (await healthcheckRoute.GET(new Request(real("/api/officernd/healthcheck"), fromIp(OFFICERND_IP))))
        .status,
    ).toBe(200);
    // Each a distinct signed query: the ledger refuses a signature already seen on another route.
    expect(
      (
        await configureRoute.GET(
          new Request(real("/configure", [["memberId", "admin-1"]]), fromIp(OFFICERND_IP)),
        )
      ).status,
    ).toBe(303);
    expect(
      (
        await syncRoute.GET(
          new Request(real("/api/officernd/sync", [["enabled", "true"]]), fromIp(OFFICERND_IP)),
        )
      ).status,
    ).toBe(200);
  });

  it("verified calls do spend it: past the organisation's limit the next one is 429 with Retry-After", async () => {
    const statuses: number[] = [];
    for (let index = 0; index <= ORG_LIMIT; index++) {
      statuses.push(
        (
          await healthcheckRoute.GET(
            new Request(
              real("/api/officernd/healthcheck", [["memberId", `m${index}`]]),
              fromIp(OFFICERND_IP),
            ),
          )
        ).status,
      );
    }
    expect(statuses.slice(0, ORG_LIMIT).every((status) => status === 200)).toBe(true);
    const limited = await healthcheckRoute.GET(
      new Request(real("/api/officernd/healthcheck"), fromIp(OFFICERND_IP)),
    );
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await limited.json()).toMatchObject({ error: "rate_limited" });
  });
});

describe("failed verifications are limited per client IP", () => {
  it("after the limit, the forging address gets 429 (even for a valid request), while OfficeRnD's address is still answered", async () => {
    const attacker = "203.0.113.66";
    const statuses: number[] = [];
    for (let index = 0; index < FAILURE_LIMIT + 3; index++) {
      statuses.push(
        (await healthcheckRoute.GET(new Request(junk("victim-or-anyone", index), fromIp(attacker)))).status,
      );
    }
    expect(statuses.slice(0, FAILURE_LIMIT)).toEqual(Array(FAILURE_LIMIT).fill(401));
    expect(statuses.slice(FAILURE_LIMIT)).toEqual([429, 429, 429]);
    expect(
      (await healthcheckRoute.GET(new Request(real("/api/officernd/healthcheck"), fromIp(attacker)))).status,
    ).toBe(429);
    expect(
      (await healthcheckRoute.GET(new Request(real("/api/officernd/healthcheck"), fromIp(OFFICERND_IP))))
        .status,
    ).toBe(200);
  });

  it("verified but refused requests (e.g. a removed installation) are not counted as failed verifications", async () => {
    const { db } = await import("@/lib/db");
    await db.installation.update({ where: { id: fixture.installation.id }, data: { status: "removed" } });
    for (let index = 0; index < FAILURE_LIMIT + 2; index++) {
      const response = await healthcheckRoute.GET(
        new Request(real("/api/officernd/healthcheck", [["memberId", `m${index}`]]), fromIp(OFFICERND_IP)),
      );
      expect(response.status).toBe(404);
    }
  });
});

describe("/connect", () => {
  it("a flood of /connect?org_slug=victim does not make the organisation's real Connect 429 (only the client IP is counted)", async () => {
    const connectUrl = (ip: string, index: number) =>
      new NextRequest(
        `${BASE_URL}/connect?code=junk-${index}&org_slug=victim&integrationId=i1&locations=`,
        fromIp(ip),
      );
    for (let index = 0; index < ORG_LIMIT * 2; index++) {
      expect((await proxy(connectUrl(`203.0.113.${index}`, index))).status).not.toBe(429);
    }
    expect((await proxy(connectUrl(OFFICERND_IP, 999))).status).not.toBe(429);
  });
});

// Issue 18 item 7: the per-IP limit on every public request (lib/http/public-guards.ts), exercised with a
// low limit here (the e2e run sets it to 100,000): API routes through their wrapper, pages through the proxy.
describe("the per-IP public limit", () => {
  const PER_IP_LIMIT = 5;
  beforeEach(() => {
    process.env.RATE_LIMIT_PER_IP_PER_MINUTE = String(PER_IP_LIMIT);
    resetEnvForTests();
    resetPublicGuardsForTests();
  });
  afterEach(() => {
    process.env.RATE_LIMIT_PER_IP_PER_MINUTE = LIMITS.RATE_LIMIT_PER_IP_PER_MINUTE;
    resetEnvForTests();
    resetPublicGuardsForTests();
  });

  it("past the limit one address gets 429 with Retry-After, even for a verified request, and another address is still answered", async () => {
    const busy = "203.0.113.90";
    const statuses: number[] = [];
    for (let index = 0; index < PER_IP_LIMIT; index++) {
      statuses.push(
        (
          await healthcheckRoute.GET(
            new Request(real("/api/officernd/healthcheck", [["memberId", `m${index}`]]), fromIp(busy)),
          )
        ).status,
      );
    }
    expect(statuses).toEqual(Array(PER_IP_LIMIT).fill(200));

    const limited = await healthcheckRoute.GET(
      new Request(real("/api/officernd/healthcheck", [["memberId", "one-more"]]), fromIp(busy)),
    );
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(Number(limited.headers.get("retry-after"))).toBeLessThanOrEqual(60);
    expect(await limited.json()).toMatchObject({ error: "rate_limited", message: expect.any(String) });

    expect(
      (
        await healthcheckRoute.GET(
          new Request(real("/api/officernd/healthcheck", [["memberId", "other"]]), fromIp(OFFICERND_IP)),
        )
      ).status,
    ).toBe(200);
  });

  it("public pages count against the same address: the proxy answers 429 past the limit", async () => {
    const page = (ip: string, index: number) =>
      new NextRequest(
        `${BASE_URL}/connect?code=c-${index}&org_slug=acme&integrationId=i1&locations=`,
        fromIp(ip),
      );
    const busy = "203.0.113.91";
    for (let index = 0; index < PER_IP_LIMIT; index++)
      expect((await proxy(page(busy, index))).status).not.toBe(429);
    const limited = await proxy(page(busy, PER_IP_LIMIT));
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await proxy(page(OFFICERND_IP, 0))).status).not.toBe(429);
  });
});
