import "server-only";
import http from "node:http";
import { CONNECTION_IP_HEADER } from "@/lib/net/client-ip";

// Next 16 route handlers, pages and server actions see a web Request: no socket, no `request.ip`.
// `next start` only fills X-Forwarded-For from the socket when the client sent none, so a client that
// sends its own hides its real address. This hook runs in the server process (instrumentation.ts) and
// stamps every incoming request with the socket's remote address under a header of our own,
// overwriting whatever a client sent under that name, before Next sees the request.

let isInstalled = false;

export function stampConnectionAddresses(): void {
  if (isInstalled) return;
  isInstalled = true;
  const originalEmit = http.Server.prototype.emit;
  http.Server.prototype.emit = function emit(
    this: http.Server,
    event: string | symbol,
    ...args: unknown[]
  ): boolean {
    if (event === "request") {
      const request = args[0] as http.IncomingMessage;
      const address = request.socket?.remoteAddress;
      if (address) request.headers[CONNECTION_IP_HEADER] = address;
      else delete request.headers[CONNECTION_IP_HEADER];
    }
    return originalEmit.apply(this, [event, ...args] as Parameters<typeof originalEmit>);
  };
}
