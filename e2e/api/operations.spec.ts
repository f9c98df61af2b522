import { expect, test } from "@playwright/test";
import { E2E_METRICS_TOKEN } from "../support/ports";

const auth = { Authorization: `Bearer ${E2E_METRICS_TOKEN}` };

test("GET /api/metrics needs the bearer token and exposes request, signature, queue and process metrics", async ({
  request,
}) => {
  expect((await request.get("/api/metrics")).status()).toBe(401);
  expect(
    (
      await request.get("/api/metrics", { headers: { Authorization: "Bearer wrong-token-of-some-length" } })
    ).status(),
  ).toBe(401);

  await request.get(
    "/api/officernd/healthcheck?slug=metrics-probe&locations=&signature=t%3D1%2Csignature%3Dabc",
  );
  const response = await request.get("/api/metrics", { headers: auth });
  expect(response.status()).toBe(200);
  expect(response.headers()["content-type"]).toContain("text/plain");
  const body = await response.text();
  expect(body).toMatch(
    /^http_requests_total\{route="officernd-healthcheck",method="GET",status="401"\} \d+/m,
  );
  expect(body).toMatch(/^http_request_duration_seconds_bucket\{.*route="officernd-healthcheck"/m);
  expect(body).toMatch(/^officernd_signature_failures_total\{kind="query",reason="malformed"\} \d+/m);
  expect(body).toMatch(/^officernd_queue_depth\{queue="sync_runs"\} \d+/m);
  expect(body).toMatch(/^officernd_webhook_lag_seconds \d+/m);
  expect(body).toMatch(/^process_resident_memory_bytes \d+/m);
});

test("GET /api/ready is 200 with every check passing while the database, migrations and a worker are up", async ({
  request,
}) => {
  await expect
    .poll(async () => (await request.get("/api/ready")).status(), {
      timeout: 20_000,
      message: "a worker heartbeat appears",
    })
    .toBe(200);
  const body = (await (await request.get("/api/ready")).json()) as {
    status: string;
    checks: { name: string; isOk: boolean }[];
  };
  expect(body.status).toBe("ready");
  expect(body.checks.map((check) => [check.name, check.isOk])).toEqual([
    ["database", true],
    ["migrations", true],
    ["worker", true],
  ]);
});

test("every page carries the security headers, with frame-ancestors limited to us and OfficeRnD", async ({
  request,
}) => {
  for (const path of ["/", "/signin", "/api/health", "/configure/unknown"]) {
    const headers = (await request.get(path, { maxRedirects: 0 })).headers();
    expect(headers["content-security-policy"], path).toMatch(
      /frame-ancestors 'self' http:\/\/localhost:\d+;/,
    );
    expect(headers["x-content-type-options"], path).toBe("nosniff");
    expect(headers["referrer-policy"], path).toBe("strict-origin-when-cross-origin");
    expect(headers["x-request-id"], path).toMatch(/^[\w-]{8,}$/);
  }
});
