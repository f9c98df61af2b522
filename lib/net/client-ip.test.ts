import { describe, expect, it } from "vitest";
import { clientIpFrom, CONNECTION_IP_HEADER, normaliseIp } from "./client-ip";

const from = (connection: string | null, forwarded?: string) => ({
  ...(connection ? { [CONNECTION_IP_HEADER]: connection } : {}),
  ...(forwarded !== undefined ? { "x-forwarded-for": forwarded } : {}),
});

describe("clientIpFrom (TRUSTED_PROXY_HOPS)", () => {
  it.each([
    // 0 hops: whatever the client writes in X-Forwarded-For is ignored.
    [0, from("198.51.100.7", "203.0.113.9"), "198.51.100.7"],
    [0, from("198.51.100.7", "203.0.113.9, 192.0.2.1"), "198.51.100.7"],
    [0, from(null, "203.0.113.9"), null],
    // 1 hop (one load balancer): the address it appended, whatever the client prepended.
    [1, from("10.0.0.2", "6.6.6.6, 203.0.113.9"), "203.0.113.9"],
    [1, from("10.0.0.2", "203.0.113.9"), "203.0.113.9"],
    // 2 hops (CDN, then load balancer): second from the right.
    [2, from("10.0.0.2", "6.6.6.6, 203.0.113.9, 172.16.0.4"), "203.0.113.9"],
    // Fewer entries than hops (the request skipped a proxy) or junk: the connection's address.
    [2, from("10.0.0.2", "203.0.113.9"), "10.0.0.2"],
    [1, from("10.0.0.2", "not-an-ip"), "10.0.0.2"],
    [1, from("10.0.0.2"), "10.0.0.2"],
    [1, from("10.0.0.2", "2001:DB8::1"), "2001:db8::1"],
  ])("hops %i, %j → %s", (hops, headers, expected) => {
    expect(clientIpFrom(headers, hops)).toBe(expected);
    expect(clientIpFrom(new Headers(headers), hops)).toBe(expected);
  });

  it("a changing X-Forwarded-For never changes the address with 0 hops (the limiter's key stays one)", () => {
    const keys = new Set(
      Array.from({ length: 50 }, (_, index) => clientIpFrom(from("198.51.100.7", `10.1.0.${index}`), 0)),
    );
    expect([...keys]).toEqual(["198.51.100.7"]);
  });

  it("normalises IPv4-mapped IPv6 and refuses what is not an address", () => {
    expect(normaliseIp("::ffff:127.0.0.1")).toBe("127.0.0.1");
    expect(normaliseIp("[::1]")).toBe("::1");
    expect(normaliseIp("x".repeat(300))).toBeNull();
    expect(normaliseIp("")).toBeNull();
  });
});
