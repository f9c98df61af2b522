// The pure half of lib/officernd/tokens.ts: when an installation refreshes early, and what to do with a
// stored token at a given moment, at each boundary. (The refresh itself, against the emulator and real
// Postgres: test/tokens-refresh.test.ts.) Found by mutation testing (issue 18, docs/mutation-testing.md).
import { describe, expect, it } from "vitest";
import { DUE_MARGIN_MS, earlyRefreshMarginMs, isTokenFresh, REFRESH_MARGIN_MS, tokenAction } from "./tokens";

const MINUTE = 60_000;

describe("earlyRefreshMarginMs", () => {
  it("is 5 minutes plus the id's 32-bit FNV-1a hash modulo 10 minutes", () => {
    // FNV-1a("a") = 0xe40c292c = 3,826,002,220; mod 600,000 = 402,220. FNV-1a("") is the offset basis.
    expect(earlyRefreshMarginMs("a")).toBe(300_000 + 402_220);
    expect(earlyRefreshMarginMs("")).toBe(300_000 + (2_166_136_261 % 600_000));
  });

  it("stays within 5 to 15 minutes and spreads installations over that window", () => {
    const margins = Array.from({ length: 200 }, (_, index) => earlyRefreshMarginMs(`installation-${index}`));
    for (const margin of margins) {
      expect(margin).toBeGreaterThanOrEqual(5 * MINUTE);
      expect(margin).toBeLessThan(15 * MINUTE);
    }
    expect(new Set(margins).size).toBeGreaterThan(190);
    expect(Math.min(...margins)).toBeLessThan(7 * MINUTE);
    expect(Math.max(...margins)).toBeGreaterThan(13 * MINUTE);
  });

  it("uses the documented constants", () => {
    expect(REFRESH_MARGIN_MS).toBe(60_000);
    expect(DUE_MARGIN_MS).toBe(300_000);
  });
});

describe("tokenAction", () => {
  const id = "a";
  const margin = 702_220;
  const now = new Date("2026-11-30T12:00:00.000Z");
  const expiringIn = (ms: number) => new Date(now.getTime() + ms);

  it.each([
    [margin + 1, "use"],
    [margin, "early"],
    [DUE_MARGIN_MS + 1, "early"],
    [DUE_MARGIN_MS, "due"],
    [0, "due"],
    [-MINUTE, "due"],
  ])("a token expiring in %i ms: %s", (inMs, expected) => {
    expect(tokenAction({ installationId: id, expiresAt: expiringIn(inMs), now })).toBe(expected);
  });

  it("a token without a recorded expiry is due", () => {
    expect(tokenAction({ installationId: id, expiresAt: null, now })).toBe("due");
  });

  it("depends on the installation: the same expiry is early for one and still in use for another", () => {
    const [low, high] = ["0d6f3f1e-2c1b-4c39-9d7e-4b1c8a1b2c3d", "a"].map((installationId) =>
      earlyRefreshMarginMs(installationId),
    );
    expect(low).toBeLessThan(high!);
    const between = expiringIn(Math.floor((low! + high!) / 2));
    expect(
      tokenAction({ installationId: "0d6f3f1e-2c1b-4c39-9d7e-4b1c8a1b2c3d", expiresAt: between, now }),
    ).toBe("use");
    expect(tokenAction({ installationId: "a", expiresAt: between, now })).toBe("early");
  });
});

describe("isTokenFresh with its margin", () => {
  const now = new Date("2026-11-30T12:00:00.000Z");
  it("takes a margin: fresh only with more than the margin left", () => {
    expect(
      isTokenFresh({ expiresAt: new Date(now.getTime() + DUE_MARGIN_MS + 1), now, marginMs: DUE_MARGIN_MS }),
    ).toBe(true);
    expect(
      isTokenFresh({ expiresAt: new Date(now.getTime() + DUE_MARGIN_MS), now, marginMs: DUE_MARGIN_MS }),
    ).toBe(false);
  });
});
