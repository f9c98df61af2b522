// What the mocked next/headers and session modules read in test/connect-*.test.ts. Kept free of
// imports, so the vi.mock factories that load it cannot deadlock on the modules they mock.
export const requestContext = { cookies: new Map<string, string>(), user: null as null | { id: string; email: string; name: string } };
