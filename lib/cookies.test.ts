import { NextResponse } from "next/server";
import { describe, expect, it } from "vitest";
import { nextCookieOptions, serializeCookie, type CookieOptions } from "@/lib/cookies";

/** Attributes of a Set-Cookie value, case-folded and in a fixed order; Next's Expires left out. */
function attributes(header: string): string[] {
  return header
    .split("; ")
    .filter((part) => !part.startsWith("Expires="))
    .map((part) => part.toLowerCase())
    .sort();
}

describe("nextCookieOptions", () => {
  const cases: CookieOptions[] = [
    { path: "/dashboard", maxAgeSeconds: 31_536_000, httpOnly: true, secure: true, sameSite: "Lax" },
    { path: "/dashboard", maxAgeSeconds: 31_536_000, httpOnly: true, secure: false, sameSite: "Lax" },
    { path: "/", maxAgeSeconds: 600, secure: true, sameSite: "None", partitioned: true },
    { path: "/connect", maxAgeSeconds: 60, httpOnly: true, sameSite: "Strict" },
  ];

  it.each(cases)("makes Next write the attributes serializeCookie writes (%o)", (options) => {
    const response = new NextResponse(null);
    response.cookies.set("name", "value", nextCookieOptions(options));
    expect(attributes(response.headers.get("set-cookie") ?? "")).toEqual(
      attributes(serializeCookie("name", "value", options)),
    );
  });
});
