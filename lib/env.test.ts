import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { DEV_SECRET_PREFIX, parseEnv } from "./env";

const key = `k1:${randomBytes(32).toString("base64")}`;
const production = {
  NODE_ENV: "production",
  DATABASE_URL: "postgresql://app:pw@db.internal:5432/app",
  APP_URL: "https://partner.example/",
  NEXTAUTH_SECRET: randomBytes(32).toString("hex"),
  ENCRYPTION_KEY: key,
  OFFICERND_CLIENT_ID: "client",
  OFFICERND_CLIENT_SECRET: "secret",
};

describe("configuration", () => {
  it("defaults production to the real OfficeRnD hosts and trims trailing slashes", () => {
    const env = parseEnv(production);
    expect(env.OFFICERND_IDENTITY_URL).toBe("https://identity.officernd.com");
    expect(env.OFFICERND_APP_URL).toBe("https://app.officernd.com");
    expect(env.APP_URL).toBe("https://partner.example");
    expect(env.SIGNATURE_TOLERANCE_SECONDS).toBe(300);
  });

  it("points development at the emulator with its demo application", () => {
    const env = parseEnv({
      DATABASE_URL: "postgresql://localhost/dev",
      NEXTAUTH_SECRET: "x".repeat(32),
      ENCRYPTION_KEY: key,
    });
    expect(env.OFFICERND_APP_URL).toBe("http://localhost:4010");
    expect(env.OFFICERND_CLIENT_ID).toBe("demo-partner-app");
  });

  it("names every missing or invalid variable in one message", () => {
    const attempt = () =>
      parseEnv({
        ...production,
        DATABASE_URL: "mysql://nope",
        OFFICERND_CLIENT_SECRET: undefined,
        SIGNATURE_TOLERANCE_SECONDS: "-5",
      });
    expect(attempt).toThrow(/DATABASE_URL/);
    expect(attempt).toThrow(/OFFICERND_CLIENT_SECRET/);
    expect(attempt).toThrow(/SIGNATURE_TOLERANCE_SECONDS/);
  });

  it("refuses generated development secrets in production", () => {
    expect(() => parseEnv({ ...production, NEXTAUTH_SECRET: DEV_SECRET_PREFIX + "a".repeat(40) })).toThrow(
      /NEXTAUTH_SECRET hold a generated development value/,
    );
    expect(() =>
      parseEnv({
        ...production,
        ENCRYPTION_KEY: `${DEV_SECRET_PREFIX}k1:${randomBytes(32).toString("base64")}`,
      }),
    ).toThrow(/ENCRYPTION_KEY/);
  });

  it("rejects a malformed ENCRYPTION_KEY", () => {
    expect(() => parseEnv({ ...production, ENCRYPTION_KEY: "just-a-password" })).toThrow(/ENCRYPTION_KEY/);
  });
});
