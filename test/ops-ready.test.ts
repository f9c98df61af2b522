// /api/ready is public and runs queries: it is limited per client address, and a flood shares checks.
import { describe, expect, it } from "vitest";
import { GET } from "@/app/api/ready/route";
import { CONNECTION_IP_HEADER } from "@/lib/net/client-ip";

const probe = (ip: string) =>
  GET(new Request("http://localhost/api/ready", { headers: { [CONNECTION_IP_HEADER]: ip } }));

describe("GET /api/ready", () => {
  it("answers 429 with Retry-After once one address probes more than 60 times a minute; other addresses still get an answer", async () => {
    const statuses: number[] = [];
    for (let index = 0; index < 61; index++) statuses.push((await probe("203.0.113.77")).status);
    expect(statuses.slice(0, 60).every((status) => status === 200 || status === 503)).toBe(true);
    const limited = await probe("203.0.113.77");
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await limited.json()).toMatchObject({ error: "rate_limited" });
    expect([200, 503]).toContain((await probe("203.0.113.78")).status);
  });
});
