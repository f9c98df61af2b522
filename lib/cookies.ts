// The one writer of Set-Cookie values (Connect's state cookie, the configuration session, cleared
// next-auth callback cookies), so every cookie carries its attributes in one order and none is forgotten.

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
