// Issue 13 part 1: refused signed calls are kept (bounded, no secret, no signature, no values) with
// what the diagnosis found: reason, clock skew, the candidate secrets tried by fingerprint, and
// whether a known variant would have matched. The emulator signs the stale call itself.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as healthcheckRoute from "@/app/api/officernd/healthcheck/route";
import { db } from "@/lib/db";
import { listRefusedCallsForInstallation } from "@/lib/dashboard/list-refused-calls";
import { REFUSED_CALLS_KEPT } from "@/lib/installations/refused-calls";
import { formatSignatureHeader, signedQueryDigest, type QueryParam } from "@/lib/officernd/signature";
import { secretFingerprint } from "@/lib/officernd/signature-diagnosis";
import { startEmulatorProcess, type EmulatorProcess } from "./support/emulator";
import { useOfficeRnd } from "./support/officernd-env";
import {
  BASE_URL,
  createSignedFixture,
  nowSeconds,
  officeRndParams,
  type SignedFixture,
} from "./signed-helpers";

let emulator: EmulatorProcess;
beforeAll(async () => {
  emulator = await startEmulatorProcess();
  await useOfficeRnd(emulator.url);
});
afterAll(async () => {
  await emulator?.stop();
});

/** `received` in order, signed as `signed` with `secret`. */
const url = (received: QueryParam[], signed: QueryParam[], secret: string, t = nowSeconds()) => {
  const search = new URLSearchParams(received);
  search.append("signature", formatSignatureHeader(t, signedQueryDigest(secret, signed, String(t))));
  return `${BASE_URL}/api/officernd/healthcheck?${search.toString()}`;
};
const call = async (target: string) => (await healthcheckRoute.GET(new Request(target))).status;
const rowsOf = (fixture: SignedFixture) =>
  db.refusedSignedCall.findMany({
    where: { installationId: fixture.installation.id },
    orderBy: { createdAt: "desc" },
  });

describe("what a refused call records", () => {
  it("a call the emulator signed 600 s ago: stale, its skew, the secret it fits as received — and no secret, signature or value kept", async () => {
    const integration = await emulator.control<{ _id: string; secret: string; locations: string[] }>(
      "/_emulator/integrations",
      {
        org: "acme-coworking",
        locations: [],
      },
    );
    const fixture = await createSignedFixture({
      orgSlug: "acme-coworking",
      integrationId: integration._id,
      secret: integration.secret,
      locations: [],
    });
    const signed = await emulator.control<{ url: string }>("/_emulator/signed-call", {
      integrationId: integration._id,
      target: "configure",
      timestampOffset: -600,
    });
    const query = new URL(signed.url).search;
    expect(await call(`${BASE_URL}/api/officernd/healthcheck${query}`)).toBe(401);

    const [row, ...more] = await rowsOf(fixture);
    expect(more).toEqual([]);
    expect(row).toMatchObject({
      route: "officernd-healthcheck",
      reason: "stale",
      nearMiss: "as-received",
      isAuthentic: true,
      matchedFingerprint: secretFingerprint(integration.secret),
      signedKeys: ["slug", "locations", "organizationId", "memberId"],
    });
    expect(row!.clockSkewSeconds).toBeGreaterThanOrEqual(595);
    expect(row!.clockSkewSeconds).toBeLessThanOrEqual(640);
    const stored = JSON.stringify(row);
    const digest = new URLSearchParams(query).get("signature")!.split("signature=")[1]!;
    for (const secretOrValue of [integration.secret, digest, fixture.orgId, "acme-coworking\\u0022"])
      expect(stored).not.toContain(secretOrValue);
  });

  it.each([
    [
      "parameter order",
      (p: QueryParam[]) => [...p].sort((a, b) => a[0].localeCompare(b[0])),
      "parameter-order",
      "signed with the parameters in another order",
    ],
    [
      "locations spacing",
      (p: QueryParam[]) => p.map(([k, v]): QueryParam => [k, k === "locations" ? v.replace(",", ", ") : v]),
      "locations-spacing",
      "signed with locations spaced differently",
    ],
  ] as const)(
    "a signature made with another %s is refused, and the record says that variant would have matched",
    async (_name, variant, nearMiss, text) => {
      const fixture = await createSignedFixture({
        locations: [
          { id: "loc-a", name: "A" },
          { id: "loc-b", name: "B" },
        ],
      });
      const received = officeRndParams(fixture, [["memberId", "m1"]], "loc-a,loc-b");
      expect(await call(url(received, variant(received), fixture.secret))).toBe(401);
      const [row] = await rowsOf(fixture);
      expect(row).toMatchObject({ reason: "mismatch", nearMiss, isAuthentic: true });
      const [view] = await listRefusedCallsForInstallation({ installationId: fixture.installation.id });
      expect(view).toMatchObject({
        wouldMatch: text,
        candidatesTried: 1,
        ownFingerprints: [secretFingerprint(fixture.secret)],
        signedShape: '{"slug":"…","locations":"…","organizationId":"…","memberId":"…"}',
      });
    },
  );

  it("a signature made with the secret of an older (removed) installation of the same organisation → 'an older secret'", async () => {
    const old = await createSignedFixture({ status: "removed" });
    const current = await createSignedFixture({
      orgSlug: old.installation.orgSlug,
      accountId: old.account.id,
      locations: old.locations,
    });
    const params = officeRndParams(current);
    expect(await call(url(params, params, old.secret))).toBe(404);
    const [row] = await db.refusedSignedCall.findMany({ where: { orgSlug: current.installation.orgSlug } });
    expect(row).toMatchObject({
      reason: "removed",
      nearMiss: "older-secret",
      installationId: old.installation.id,
    });
    expect(row!.candidates).toHaveLength(2);
  });
});

describe("bounded, and not fillable by anyone", () => {
  it(`keeps at most ${REFUSED_CALLS_KEPT} per installation, and a flood of forged calls never pushes out an authentic one`, async () => {
    const fixture = await createSignedFixture();
    const params = officeRndParams(fixture);
    expect(await call(url(params, params, fixture.secret, nowSeconds() - 3600))).toBe(401);
    for (let index = 0; index < 70; index++) {
      const forged = `${BASE_URL}/api/officernd/healthcheck?slug=${fixture.installation.orgSlug}&locations=&signature=t%3D${nowSeconds()}%2Csignature%3D${String(index).padStart(64, "0")}`;
      await call(forged);
    }
    const rows = await db.refusedSignedCall.findMany({ where: { orgSlug: fixture.installation.orgSlug } });
    expect(rows.length).toBeLessThanOrEqual(REFUSED_CALLS_KEPT);
    // At most 20 recordings a minute per slug: the rest of the flood was not even written.
    expect(rows.length).toBeLessThanOrEqual(20);
    expect(rows.filter((row) => row.isAuthentic)).toHaveLength(1);
  });

  it("unknown slugs are not recorded per slug: one small shared bucket, rate-limited", async () => {
    for (let index = 0; index < 30; index++) {
      await call(
        `${BASE_URL}/api/officernd/healthcheck?slug=nobody-${index}-${nowSeconds()}&locations=&signature=t%3D${nowSeconds()}%2Csignature%3D${"0".repeat(64)}`,
      );
    }
    const unknown = await db.refusedSignedCall.findMany({ where: { orgSlug: null, installationId: null } });
    expect(unknown.length).toBeLessThanOrEqual(10);
    expect(await db.refusedSignedCall.count({ where: { orgSlug: { startsWith: "nobody-" } } })).toBe(0);
  });
});
