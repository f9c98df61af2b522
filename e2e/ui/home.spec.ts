import { expect, test } from "@playwright/test";
import { DEMO_LOGIN } from "../support/ports";

test("the home page explains the product and offers sign-in", async ({ page }) => {
  await page.goto("/");
  await expect(page.getByRole("heading", { level: 1, name: "Partner for OfficeRnD" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Sign in" })).toBeVisible();
});

test("the demo user signs in and reaches the dashboard", async ({ page }) => {
  await page.goto("/signin");
  await page.getByLabel("Email").fill(DEMO_LOGIN.email);
  await page.getByLabel("Password").fill(DEMO_LOGIN.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByRole("heading", { level: 1, name: "Dashboard" })).toBeVisible();
  await expect(page.getByText(`Signed in as ${DEMO_LOGIN.email}`)).toBeVisible();
});

test("a wrong password is refused with a generic message", async ({ page }) => {
  await page.goto("/signin");
  await page.getByLabel("Email").fill(DEMO_LOGIN.email);
  await page.getByLabel("Password").fill("not-the-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert", { name: "Sign-in error" })).toContainText("Wrong email or password");
  await expect(page).toHaveURL(/\/signin/);
});
