// Headers for every response. Pure, so the policy is tested by table (security-headers.test.ts).

export type SecurityHeaderOptions = {
  appUrl: string;
  officerndAppUrl: string;
  extraFrameOrigins: string;
  isProduction: boolean;
};

/** Origins allowed to frame our pages: ourselves and OfficeRnD (its configuration page may embed us). */
export function frameAncestors(options: SecurityHeaderOptions): string[] {
  const origins = [options.officerndAppUrl, ...options.extraFrameOrigins.split(/[\s,]+/)]
    .filter(Boolean)
    .map((value) => {
      try {
        return new URL(value).origin;
      } catch {
        return undefined;
      }
    })
    .filter((origin): origin is string => origin !== undefined);
  return ["'self'", ...new Set(origins)];
}

export function securityHeaders(options: SecurityHeaderOptions): Record<string, string> {
  const headers: Record<string, string> = {
    "Content-Security-Policy": `frame-ancestors ${frameAncestors(options).join(" ")}; base-uri 'self'; object-src 'none'`,
    "X-Content-Type-Options": "nosniff",
    // Connect URLs carry an OAuth code in the query: never send paths to other origins.
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
  };
  if (options.isProduction && options.appUrl.startsWith("https://"))
    headers["Strict-Transport-Security"] = "max-age=63072000; includeSubDomains";
  return headers;
}
