// Runs before every request: a request id for the logs, and the security headers on every response.
import { NextResponse, type NextRequest } from "next/server";
import { env } from "@/lib/env";
import { securityHeaders } from "@/lib/http/security-headers";

let cachedHeaders: Record<string, string> | undefined;
function headersForApp(): Record<string, string> {
  const config = env();
  cachedHeaders ??= securityHeaders({
    appUrl: config.APP_URL,
    officerndAppUrl: config.OFFICERND_APP_URL,
    extraFrameOrigins: config.OFFICERND_FRAME_ORIGINS,
    isProduction: config.NODE_ENV === "production",
  });
  return cachedHeaders;
}

export function proxy(request: NextRequest): NextResponse {
  const incoming = request.headers.get("x-request-id");
  const requestId = incoming && /^[\w-]{8,64}$/.test(incoming) ? incoming : crypto.randomUUID();
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-request-id", requestId);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  for (const [name, value] of Object.entries(headersForApp())) response.headers.set(name, value);
  response.headers.set("x-request-id", requestId);
  return response;
}

export const config = { matcher: ["/((?!_next/static|_next/image|favicon.ico).*)"] };
