// The one place cookie attributes are decided (Connect's state cookie, the configuration session, cleared
// next-auth callback cookies, the dashboard's remembered account), so none is forgotten.

export type CookieOptions = {
  path: string;
  /** 0 clears the cookie. */
  maxAgeSeconds: number;
  httpOnly?: boolean;
  secure?: boolean;
  sameSite: "Lax" | "Strict" | "None";
  /** CHIPS: a cookie readable when OfficeRnD frames the page (requires Secure). */
  partitioned?: boolean;
};

/** `name=value; Path=…; Max-Age=…; HttpOnly; Secure; SameSite=…; Partitioned`. */
export function serializeCookie(name: string, value: string, options: CookieOptions): string {
  return [
    `${name}=${value}`,
    `Path=${options.path}`,
    `Max-Age=${options.maxAgeSeconds}`,
    ...(options.httpOnly ? ["HttpOnly"] : []),
    ...(options.secure ? ["Secure"] : []),
    `SameSite=${options.sameSite}`,
    ...(options.partitioned ? ["Partitioned"] : []),
  ].join("; ");
}

/** The Set-Cookie value that removes a cookie set with the same name and path. */
export function clearedCookie(name: string, path: string): string {
  return serializeCookie(name, "", { path, maxAgeSeconds: 0, httpOnly: true, sameSite: "Lax" });
}

/**
 * The same options for Next's `cookies().set()`: a server action cannot write Set-Cookie itself, so Next
 * serialises these (adding an Expires that matches Max-Age).
 */
export function nextCookieOptions(options: CookieOptions): {
  path: string;
  maxAge: number;
  httpOnly?: boolean;
  secure?: boolean;
  sameSite: "lax" | "strict" | "none";
  partitioned?: boolean;
} {
  return {
    path: options.path,
    maxAge: options.maxAgeSeconds,
    httpOnly: options.httpOnly,
    secure: options.secure,
    sameSite: options.sameSite === "Lax" ? "lax" : options.sameSite === "Strict" ? "strict" : "none",
    partitioned: options.partitioned,
  };
}
