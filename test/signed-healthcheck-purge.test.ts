// The healthcheck records its signature inside its one statement (lib/installations/record-healthcheck.ts);
// it still sweeps the ledger's expired rows (at most once a minute per process, beside the answer), as recordSignature did,
// so an installation that is only ever probed does not grow UsedSignature without bound.
import { afterAll, expect, it } from "vitest";
import { GET } from "@/app/api/officernd/healthcheck/route";
import { db } from "@/lib/db";
import { closeSqlPool } from "@/lib/sql-pool";
import { createSignedFixture, officeRndParams, signedUrl } from "./signed-helpers";

afterAll(async () => {
  await closeSqlPool();
});

it("a healthcheck sweeps expired ledger rows and keeps its own", async () => {
  const expired = `expired-${Date.now()}`;
  await db.usedSignature.create({
    data: {
      hash: expired,
      expiresAt: new Date(Date.now() - 60_000),
      route: "configure",
    },
  });
  const fixture = await createSignedFixture();
  const response = await GET(
    new Request(signedUrl("/api/officernd/healthcheck", officeRndParams(fixture), fixture.secret)),
  );
  expect(response.status).toBe(200);
  // The sweep runs beside the answer, not inside it.
  await expect.poll(() => db.usedSignature.findUnique({ where: { hash: expired } })).toBeNull();
  expect(await db.usedSignature.findMany({ select: { route: true } })).toEqual([
    { route: "officernd-healthcheck" },
  ]);
});
