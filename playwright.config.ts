import { defineConfig } from "@playwright/test";
import { findInstalledBrowser } from "./scripts/lib/browser.ts";
import { SYSTEM_MACHINE } from "./scripts/lib/browser-system.ts";

// End-to-end tests run against the production build (`next start`) and the emulator, both started by
// e2e/support/global-setup.ts on their own ports. Two projects: `api` (HTTP only) and `ui` (Chromium).
const APP_PORT = Number(process.env.E2E_APP_PORT ?? 3100);
// npm test resolves (or installs) the browser and passes PLAYWRIGHT_CHROMIUM_EXECUTABLE; a direct
// `playwright test` takes the same order over installed browsers (scripts/lib/browser.ts).
const CHROMIUM = findInstalledBrowser(SYSTEM_MACHINE)?.path;

const CHROMIUM_USE = {
  browserName: "chromium" as const,
  viewport: { width: 1280, height: 800 },
  launchOptions: {
    ...(CHROMIUM ? { executablePath: CHROMIUM } : {}),
    // Without these, Chromium keeps trying to reach Google's hosts on this offline machine.
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  },
};

export default defineConfig({
  testDir: "e2e",
  globalSetup: "./e2e/support/global-setup.ts",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  reporter: process.env.PLAYWRIGHT_JSON_OUTPUT_NAME ? [["list"], ["json"]] : [["list"]],
  use: {
    baseURL: `http://localhost:${APP_PORT}`,
    trace: "retain-on-failure",
  },
  projects: [
    { name: "api", testMatch: "api/**/*.spec.ts" },
    {
      name: "ui",
      testMatch: "ui/**/*.spec.ts",
      use: CHROMIUM_USE,
    },
    // Issue 11's journey in Chromium under every OfficeRnD profile the emulator plays (same browser as ui).
    { name: "profiles", testMatch: "profiles/**/*.spec.ts", use: CHROMIUM_USE },
    // Starts its own PostgreSQL and app instance, stops and restarts that database.
    { name: "faults", testMatch: "faults/**/*.spec.ts" },
    // Two app instances and two workers on one database of its own; one worker is killed mid-sync (issue 16
    // §4).
    { name: "scale", testMatch: /e2e\/scale\/[^/]+\.spec\.ts$/ },
    // Runs last: reads the app's log of the whole run and looks for every secret the run created.
    { name: "audit", testMatch: "audit/**/*.spec.ts", dependencies: ["api", "ui", "profiles"] },
  ],
});
