import { isIP } from "node:net";

// Which address a request comes from. Clients can write any X-Forwarded-For they like; only the
// entries appended by proxies we run are true, and those are the rightmost ones. So the address is
// read from the right, as many hops as the deployment says (TRUSTED_PROXY_HOPS), and with 0 hops
// forwarded headers are ignored and the TCP connection's own address is used.

// Set from the socket's address by the server hook in lib/net/connection-address.ts (a client's own value
// is overwritten): Next 16 gives route handlers no connection address.
export const CONNECTION_IP_HEADER = "x-partner-connection-ip";

type HeaderSource = { get(name: string): string | null } | Record<string, unknown> | undefined | null;

function reader(headers: NonNullable<HeaderSource>): (name: string) => string | null {
  if (typeof (headers as { get?: unknown }).get === "function")
    return (name) => (headers as { get(name: string): string | null }).get(name);
  return (name) => {
    const value = (headers as Record<string, unknown>)[name];
    if (typeof value === "string") return value;
    return Array.isArray(value) && typeof value[0] === "string" ? value.join(",") : null;
  };
}

/** A canonical IP address, or null for anything that is not one (so junk never becomes a limiter key). */
export function normaliseIp(value: string | null | undefined): string | null {
  const candidate = value?.trim().replace(/^\[(.*)\]$/, "$1");
  if (!candidate || isIP(candidate) === 0) return null;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(candidate);
  return mapped ? mapped[1]! : candidate.toLowerCase();
}

/**
 * With `trustedProxyHops` N, the Nth address from the right of X-Forwarded-For; with 0, or when the header
 * is short or holds a non-IP entry, the connection's address.
 */
export function clientIpFrom(headers: HeaderSource, trustedProxyHops: number): string | null {
  if (!headers) return null;
  const read = reader(headers);
  const connection = normaliseIp(read(CONNECTION_IP_HEADER));
  if (trustedProxyHops <= 0) return connection;
  const forwarded = (read("x-forwarded-for") ?? "")
    .split(",")
    .map((entry) => entry.trim())
    .filter((entry) => entry !== "");
  if (forwarded.length < trustedProxyHops) return connection;
  return normaliseIp(forwarded[forwarded.length - trustedProxyHops]) ?? connection;
}
