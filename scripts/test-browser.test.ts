// npm test on a machine where no browser can be found or installed stops at once with one message
// naming the command to run, before any check or test starts (issue 14). NPM_TEST_HIDE_BROWSER=all
// simulates that machine here (scripts/lib/browser.ts).
import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";
import { HIDE_BROWSER_ENV } from "./lib/browser.ts";
import { PROJECT_DIR } from "./lib/database.ts";

function runNpmTest(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const { PLAYWRIGHT_CHROMIUM_EXECUTABLE: _explicit, ...rest } = process.env;
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/test.ts"], {
    cwd: PROJECT_DIR,
    env: { ...rest, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve) => child.once("exit", (code) => resolve({ code, output })));
}

describe("npm test without a reachable browser", () => {
  it(
    "fails before running anything, with one message naming the command to run",
    { timeout: 60_000 },
    async () => {
      const { code, output } = await runNpmTest({ [HIDE_BROWSER_ENV]: "all" });
      expect(code).toBe(1);
      expect(output).toContain(
        "npm test cannot run the UI tests: No Chromium found and none can be installed from here",
      );
      expect(output).toContain("Run `npx playwright install chromium`");
      expect(output).not.toContain("━━"); // no step started: no type-check, no vitest, no Playwright
      expect(output.trim().split("\n")).toHaveLength(1);
    },
  );

  it(
    "names the bad path when PLAYWRIGHT_CHROMIUM_EXECUTABLE points nowhere",
    { timeout: 60_000 },
    async () => {
      const { code, output } = await runNpmTest({ PLAYWRIGHT_CHROMIUM_EXECUTABLE: "/nonexistent/chromium" });
      expect(code).toBe(1);
      expect(output.trim()).toBe(
        "npm test cannot run the UI tests: PLAYWRIGHT_CHROMIUM_EXECUTABLE=/nonexistent/chromium is not an executable file. Fix the path or unset it.",
      );
    },
  );
});
