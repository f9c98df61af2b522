import { describe, expect, it } from "vitest";
import { isSameOriginRequest } from "./same-origin";

const APP = "https://partner.example.com";

describe("isSameOriginRequest", () => {
  it.each([
    [{ origin: APP }, true],
    [{ origin: "https://evil.example" }, false],
    [{ origin: "http://partner.example.com" }, false],
    [{ origin: "null" }, false],
    [{ "sec-fetch-site": "same-origin" }, true],
    [{ "sec-fetch-site": "cross-site" }, false],
    [{ "sec-fetch-site": "same-site" }, false],
    [{}, true],
  ])("%j → %s", (headers, expected) => {
    expect(isSameOriginRequest(new Headers(headers), APP)).toBe(expected);
  });
});
