// What the mocked next/headers and session modules read in test/connect-*.test.ts. Kept free of
// imports, so the vi.mock factories that load it cannot deadlock on the modules they mock.
export const requestContext = {
  cookies: new Map<string, string>(),
  user: null as null | { id: string; email: string; name: string },
};

/** The next/headers stand-in: cookies come from `requestContext`, request headers are empty. */
export function mockedNextHeaders() {
  return {
    cookies: async () => ({
      get: (name: string) =>
        requestContext.cookies.has(name) ? { name, value: requestContext.cookies.get(name) } : undefined,
    }),
    headers: async () => new Headers(),
  };
}

/** The @/lib/auth/session stand-in: the signed-in user is whoever `requestContext.user` says. */
export function mockedSession() {
  return { getSessionUser: async () => requestContext.user };
}
