import { expect, test } from "@playwright/test";
import { buildSignedQuery } from "@/lib/officernd/signature";
import { E2E_ORG_RATE_LIMIT } from "../support/ports";
import { insertInstallation, nowSeconds, officeRndParams } from "./signed-fixtures";

// Slugs are public: only verified requests spend an organisation's budget (issue 12 item 2).
test("forged requests naming an organisation never use up its budget; verified ones do, then 429 with Retry-After", async ({
  request,
}) => {
  const installation = await insertInstallation();
  const junk = `/api/officernd/healthcheck?slug=${installation.orgSlug}&locations=&signature=t%3D1%2Csignature%3D00`;
  for (let index = 0; index <= E2E_ORG_RATE_LIMIT; index++)
    expect((await request.get(junk)).status()).toBe(401);

  const verified = (index: number) =>
    `/api/officernd/healthcheck?${buildSignedQuery(officeRndParams(installation, [["memberId", `m${index}`]]), installation.secret, nowSeconds())}`;
  const statuses: number[] = [];
  for (let index = 0; index < E2E_ORG_RATE_LIMIT; index++)
    statuses.push((await request.get(verified(index))).status());
  expect(statuses.filter((status) => status !== 200)).toEqual([]);

  const limited = await request.get(verified(E2E_ORG_RATE_LIMIT));
  expect(limited.status()).toBe(429);
  expect(Number(limited.headers()["retry-after"])).toBeGreaterThan(0);
  expect(await limited.json()).toMatchObject({ error: "rate_limited" });
});
