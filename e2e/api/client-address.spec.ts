import { expect, test, type APIRequestContext } from "@playwright/test";

// The e2e app runs with the default TRUSTED_PROXY_HOPS=0: the address every limit is keyed by is
// the connection's, so a client that writes a new X-Forwarded-For on every request gains nothing.

async function signIn(
  request: APIRequestContext,
  input: { email: string; password: string; forwardedFor: string },
): Promise<string> {
  const { csrfToken } = (await (await request.get("/api/auth/csrf")).json()) as { csrfToken: string };
  const response = await request.post("/api/auth/callback/credentials", {
    form: { csrfToken, email: input.email, password: input.password, json: "true" },
    headers: {
      "X-Forwarded-For": input.forwardedFor,
      "X-Real-IP": input.forwardedFor,
      "x-partner-connection-ip": input.forwardedFor,
    },
    maxRedirects: 0,
  });
  const body = (await response.json()) as { url: string };
  return new URL(body.url).searchParams.get("error") ?? "";
}

test("a changing X-Forwarded-For (or a forged connection header) does not walk around the sign-in limit", async ({
  request,
}) => {
  const email = `nobody-${Date.now()}@example.com`;
  const errors: string[] = [];
  for (let index = 0; index < 6; index++) {
    errors.push(
      await signIn(request, { email, password: `guess-${index}`, forwardedFor: `203.0.113.${index + 1}` }),
    );
  }
  expect(errors.slice(0, 5)).toEqual(Array(5).fill("CredentialsSignin"));
  expect(errors[5]).toMatch(/^throttled:\d+$/);
});
