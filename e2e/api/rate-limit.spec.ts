import { expect, test } from "@playwright/test";
import { E2E_ORG_RATE_LIMIT } from "../support/ports";

test("public endpoints answer 429 with Retry-After once an organisation exceeds its limit", async ({ request }) => {
  const slug = `rate-limit-${Date.now()}`;
  const statuses: number[] = [];
  for (let index = 0; index < E2E_ORG_RATE_LIMIT; index++) {
    statuses.push((await request.get(`/api/officernd/healthcheck?slug=${slug}&locations=&signature=t%3D1%2Csignature%3D00`)).status());
  }
  expect(statuses.every((status) => status !== 429)).toBe(true);
  const limited = await request.get(`/api/officernd/healthcheck?slug=${slug}&locations=&signature=t%3D1%2Csignature%3D00`);
  expect(limited.status()).toBe(429);
  expect(Number(limited.headers()["retry-after"])).toBeGreaterThan(0);
  expect(await limited.json()).toMatchObject({ error: "rate_limited" });

  const otherOrganisation = await request.get(`/api/officernd/healthcheck?slug=${slug}-other&locations=&signature=t%3D1%2Csignature%3D00`);
  expect(otherOrganisation.status()).not.toBe(429);
});
