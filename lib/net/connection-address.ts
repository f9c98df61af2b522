import "server-only";
import http from "node:http";
import { CONNECTION_IP_HEADER } from "@/lib/net/client-ip";

// Next 16 handlers see a web Request: no socket, no `request.ip`, and `next start` fills X-Forwarded-For
// only when the client sent none, so a client sending its own hides its address. This hook (run from
// instrumentation.ts) stamps every request with the socket's address under our own header, overwriting
// whatever a client sent under that name, before Next sees it.

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
