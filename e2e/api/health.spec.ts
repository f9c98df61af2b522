import { expect, test } from "@playwright/test";

test("GET /api/health answers 200 JSON while the process is up", async ({ request }) => {
  const response = await request.get("/api/health");
  expect(response.status()).toBe(200);
  expect(await response.json()).toMatchObject({ status: "ok" });
});
