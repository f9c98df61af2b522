// The signature ledger itself (lib/installations/replay.ts), against real Postgres: the claim key and its
// expiry, first-caller-wins claims, recording, and the purge of expired rows at most once a minute. The
// routes that use it are covered by signed-ledger.test.ts; this file pins the module (issue 18: it is one
// of the modules `npm run test:mutation` measures).
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import {
  claimSignature,
  purgeExpiredSignatures,
  recordSignature,
  signatureClaimFor,
} from "@/lib/installations/replay";
import { randomHex } from "./support/factories";

const row = (hash: string) =>
  db.usedSignature.findUnique({ where: { hash }, select: { hash: true, expiresAt: true, route: true } });

describe("signatureClaimFor", () => {
  it("keys the claim by the digest of the lower-cased signature and expires it a minute after the tolerance", () => {
    const claim = signatureClaimFor({
      signature: "AbCdEf0123",
      timestamp: 1_700_000_000,
      toleranceSeconds: 300,
      route: "officernd-sync",
    });
    expect(claim).toEqual({
      // sha256("officernd-signed-query:abcdef0123")
      key: "73f1a3f9c2f3ad91fb7a032df8a2671f21e831e2a74302aefc98feed31cc4b83",
      expiresAt: new Date("2023-11-14T22:19:20.000Z"),
      route: "officernd-sync",
    });
    expect(signatureClaimFor({ signature: "abcdef0123", timestamp: 1, toleranceSeconds: 0 }).key).toBe(
      claim.key,
    );
  });

  it("has no route unless one is given", () => {
    expect(signatureClaimFor({ signature: "a", timestamp: 0, toleranceSeconds: 0 })).not.toHaveProperty(
      "route",
    );
    expect(
      signatureClaimFor({ signature: "a", timestamp: 0, toleranceSeconds: 0, route: "" }),
    ).not.toHaveProperty("route");
  });
});

describe("claimSignature and recordSignature", () => {
  it("the first claim wins and stores the row; every later claim of the same key loses", async () => {
    const key = randomHex(32);
    const expiresAt = new Date("2099-01-01T00:00:00.000Z");
    expect(await claimSignature({ key, expiresAt, route: "configure" })).toBe(true);
    expect(await row(key)).toEqual({ hash: key, expiresAt, route: "configure" });
    expect(await claimSignature({ key, expiresAt, route: "officernd-sync" })).toBe(false);
    expect(await row(key)).toEqual({ hash: key, expiresAt, route: "configure" });
  });

  it("stores no route when the claim names none", async () => {
    const key = randomHex(32);
    expect(await claimSignature({ key, expiresAt: new Date("2099-01-01T00:00:00.000Z") })).toBe(true);
    expect((await row(key))?.route).toBeNull();
  });

  it("recording puts the signature in the ledger (a later claim loses) and a repeat is fine", async () => {
    const claim = {
      key: randomHex(32),
      expiresAt: new Date("2099-01-01T00:00:00.000Z"),
      route: "officernd-healthcheck",
    };
    await recordSignature(claim);
    await recordSignature(claim);
    expect(await row(claim.key)).toEqual({
      hash: claim.key,
      expiresAt: claim.expiresAt,
      route: "officernd-healthcheck",
    });
    expect(await claimSignature(claim)).toBe(false);
  });
});

describe("purgeExpiredSignatures", () => {
  it("deletes rows expired before now (not those expiring at now), then waits a minute before the next sweep", async () => {
    // Far after any sweep a recordSignature above started with the real clock.
    const now = new Date("2099-06-01T12:00:00.000Z");
    const at = (ms: number) => new Date(now.getTime() + ms);
    const keys = { before: randomHex(32), atNow: randomHex(32), after: randomHex(32), later: randomHex(32) };
    await db.usedSignature.createMany({
      data: [
        { hash: keys.before, expiresAt: at(-1) },
        { hash: keys.atNow, expiresAt: at(0) },
        { hash: keys.after, expiresAt: at(1_000) },
        { hash: keys.later, expiresAt: at(120_000) },
      ],
    });
    const present = async () =>
      (
        await db.usedSignature.findMany({
          where: { hash: { in: Object.values(keys) } },
          select: { hash: true },
        })
      )
        .map((r) => r.hash)
        .sort();

    await purgeExpiredSignatures(now);
    expect(await present()).toEqual([keys.atNow, keys.after, keys.later].sort());

    // Within the minute: no sweep, though two more rows have expired by then.
    await purgeExpiredSignatures(at(59_999));
    expect(await present()).toEqual([keys.atNow, keys.after, keys.later].sort());

    // A minute after the last sweep: the next one.
    await purgeExpiredSignatures(at(60_000));
    expect(await present()).toEqual([keys.later]);
  });

  it("sweeps more expired rows than one batch holds, in several batches, and keeps the live ones", async () => {
    const now = new Date("2099-06-02T12:00:00.000Z");
    const prefix = `batch-${randomHex(6)}-`;
    await db.usedSignature.createMany({
      data: Array.from({ length: 2_500 }, (_, index) => ({
        hash: `${prefix}${index}`,
        expiresAt: new Date(now.getTime() - 1_000 - index),
      })),
    });
    const live = `${prefix}live`;
    await db.usedSignature.create({ data: { hash: live, expiresAt: new Date(now.getTime() + 60_000) } });

    await purgeExpiredSignatures(now);
    const left = await db.usedSignature.findMany({
      where: { hash: { startsWith: prefix } },
      select: { hash: true },
    });
    expect(left).toEqual([{ hash: live }]);
  });
});
