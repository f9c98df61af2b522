import { randomBytes } from "node:crypto";
import { afterEach, describe, expect, it, vi } from "vitest";
import { resetEnvForTests } from "./env";
import { validateConfigurationOrExit } from "./startup";

const production = {
  NODE_ENV: "production",
  DATABASE_URL: "postgresql://app:pw@db.internal:5432/app",
  APP_URL: "https://partner.example",
  NEXTAUTH_SECRET: randomBytes(32).toString("hex"),
  ENCRYPTION_KEY: `k1:${randomBytes(32).toString("base64")}`,
  OFFICERND_CLIENT_ID: "client",
  OFFICERND_CLIENT_SECRET: "secret",
};

/** Runs the app server's start-up check with `variables` as the whole configuration; true if it exited. */
function startsUp(variables: Record<string, string>): { exited: boolean; message: string } {
  vi.stubEnv("NODE_ENV", variables.NODE_ENV ?? "development");
  for (const [name, value] of Object.entries(variables)) vi.stubEnv(name, value);
  resetEnvForTests();
  const exit = vi.spyOn(process, "exit").mockImplementation((() => undefined) as never);
  const error = vi.spyOn(console, "error").mockImplementation(() => undefined);
  validateConfigurationOrExit();
  return { exited: exit.mock.calls.length > 0, message: error.mock.calls.flat().join(" ") };
}

afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
  resetEnvForTests();
});

describe("app server start-up", () => {
  it("refuses to serve production without METRICS_TOKEN, naming it", () => {
    vi.stubEnv("METRICS_TOKEN", "");
    const result = startsUp(production);
    expect(result.exited).toBe(true);
    expect(result.message).toContain("METRICS_TOKEN");
  });

  it("starts in production with a metrics token", () => {
    expect(startsUp({ ...production, METRICS_TOKEN: "a-long-enough-metrics-token" }).exited).toBe(false);
  });
});
