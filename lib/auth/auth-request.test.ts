import { describe, expect, it } from "vitest";
import { NextRequest } from "next/server";
import { hasInvalidCallbackCookie, isAcceptedCallbackUrl, withoutInvalidCallbackUrls } from "./auth-request";

const BASE = "https://partner.example";

describe("callback URLs before next-auth", () => {
  it.each([
    ["/dashboard", true],
    ["https://partner.example/connect/x", true],
    ["http://elsewhere.example/", true],
    [" ", false],
    ["t=0,signature=", false],
    ["javascript:alert(1)", false],
  ])("%j accepted: %s", (value, expected) => {
    expect(isAcceptedCallbackUrl(value, BASE)).toBe(expected);
  });

  it("drops an invalid or repeated callbackUrl and a non-name error, as a NextRequest (next-auth reads nextUrl)", async () => {
    const cleaned = withoutInvalidCallbackUrls(
      new Request(`${BASE}/api/auth/csrf?callbackUrl=+&other=1&error=%00%0d%0aSet-Cookie:x`),
      BASE,
    );
    expect(cleaned).toBeInstanceOf(NextRequest);
    expect((cleaned as NextRequest).nextUrl.search).toBe("?other=1");
    const repeated = withoutInvalidCallbackUrls(
      new Request(`${BASE}/api/auth/signin?callbackUrl=/a&callbackUrl=/b`),
      BASE,
    );
    expect(new URL(repeated.url).searchParams.has("callbackUrl")).toBe(false);
    const post = withoutInvalidCallbackUrls(
      new Request(`${BASE}/api/auth/callback/credentials?callbackUrl=%20`, { method: "POST", body: "a=b" }),
      BASE,
    );
    expect(await post.text()).toBe("a=b");
  });

  it("spots an invalid callback-url cookie", () => {
    expect(
      hasInvalidCallbackCookie(
        new Request(BASE, { headers: { cookie: "a=1; next-auth.callback-url=%20" } }),
        BASE,
      ),
    ).toBe(true);
    expect(
      hasInvalidCallbackCookie(
        new Request(BASE, { headers: { cookie: "next-auth.callback-url=%2Fdashboard" } }),
        BASE,
      ),
    ).toBe(false);
  });

  it("leaves a valid request untouched", () => {
    const request = new Request(`${BASE}/api/auth/signin?callbackUrl=%2Fdashboard&error=CredentialsSignin`);
    expect(withoutInvalidCallbackUrls(request, BASE)).toBe(request);
  });
});
