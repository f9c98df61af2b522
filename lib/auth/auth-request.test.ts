import { describe, expect, it } from "vitest";
import { isAcceptedCallbackUrl, withoutInvalidCallbackUrls } from "./auth-request";

const BASE = "https://partner.example";

describe("callback URLs before next-auth", () => {
  it.each([
    ["/dashboard", true],
    ["https://partner.example/connect/x", true],
    ["http://elsewhere.example/", true],
    [" ", false],
    ["javascript:alert(1)", false],
    ["not a url", false],
  ])("%j accepted: %s", (value, expected) => {
    expect(isAcceptedCallbackUrl(value, BASE)).toBe(expected);
  });

  it("drops an invalid or repeated callbackUrl query and an invalid callback-url cookie, keeping everything else", async () => {
    const request = new Request(`${BASE}/api/auth/csrf?callbackUrl=+&other=1`, {
      headers: { cookie: "a=1; next-auth.callback-url=%20; b=2", "x-test": "kept" },
    });
    const cleaned = withoutInvalidCallbackUrls(request, BASE);
    expect(new URL(cleaned.url).search).toBe("?other=1");
    expect(cleaned.headers.get("cookie")).toBe("a=1; b=2");
    expect(cleaned.headers.get("x-test")).toBe("kept");
    const repeated = withoutInvalidCallbackUrls(new Request(`${BASE}/api/auth/signin?callbackUrl=/a&callbackUrl=/b`), BASE);
    expect(new URL(repeated.url).searchParams.has("callbackUrl")).toBe(false);
    const post = withoutInvalidCallbackUrls(new Request(`${BASE}/api/auth/callback/credentials?callbackUrl=%20`, { method: "POST", body: "a=b" }), BASE);
    expect(await post.text()).toBe("a=b");
  });

  it("drops an error parameter that is not an error name (it would go into a Location header)", () => {
    const cleaned = withoutInvalidCallbackUrls(new Request(`${BASE}/api/auth/error?error=%00%0d%0aSet-Cookie:x`), BASE);
    expect(new URL(cleaned.url).searchParams.has("error")).toBe(false);
    const kept = new Request(`${BASE}/api/auth/error?error=CredentialsSignin`);
    expect(withoutInvalidCallbackUrls(kept, BASE)).toBe(kept);
  });

  it("leaves a valid request untouched", () => {
    const request = new Request(`${BASE}/api/auth/signin?callbackUrl=%2Fdashboard`, { headers: { cookie: "next-auth.callback-url=%2Fdashboard" } });
    expect(withoutInvalidCallbackUrls(request, BASE)).toBe(request);
  });
});
