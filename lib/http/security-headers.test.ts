import { describe, expect, it } from "vitest";
import { securityHeaders } from "./security-headers";

const base = {
  appUrl: "https://partner.example",
  officerndAppUrl: "https://app.officernd.com",
  extraFrameOrigins: "",
  isProduction: true,
};

describe("security headers", () => {
  it("lets only ourselves and OfficeRnD frame our pages", () => {
    expect(securityHeaders(base)["Content-Security-Policy"]).toContain(
      "frame-ancestors 'self' https://app.officernd.com;",
    );
  });

  it("adds configured frame origins, by origin only, and ignores junk", () => {
    const csp = securityHeaders({
      ...base,
      extraFrameOrigins: "https://eu.officernd.com/path, not a url https://app.officernd.com",
    })["Content-Security-Policy"];
    expect(csp).toContain("frame-ancestors 'self' https://app.officernd.com https://eu.officernd.com;");
  });

  it("sends HSTS only in production over https", () => {
    expect(securityHeaders(base)["Strict-Transport-Security"]).toMatch(/max-age=\d+/);
    expect(securityHeaders({ ...base, isProduction: false })["Strict-Transport-Security"]).toBeUndefined();
    expect(
      securityHeaders({ ...base, appUrl: "http://localhost:3000" })["Strict-Transport-Security"],
    ).toBeUndefined();
  });

  it("always forbids MIME sniffing and cross-origin referrer paths", () => {
    const headers = securityHeaders({ ...base, isProduction: false });
    expect(headers["X-Content-Type-Options"]).toBe("nosniff");
    expect(headers["Referrer-Policy"]).toBe("strict-origin-when-cross-origin");
  });
});
