// The real machine for scripts/lib/browser.ts: files, PATH, Playwright's registry, its download host, apt.
import { accessSync, constants, existsSync, readFileSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { userInfo } from "node:os";
import path from "node:path";
import type { Machine } from "./browser.ts";

const require = createRequire(import.meta.url);
// Playwright downloads from these (its own list, in this order) unless PLAYWRIGHT_DOWNLOAD_HOST is set.
const PLAYWRIGHT_HOSTS = ["https://cdn.playwright.dev", "https://playwright.download.prss.microsoft.com"];

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

function which(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
    const file = path.join(dir, name);
    if (dir && isExecutable(file)) return file;
  }
  return undefined;
}

function playwrightChromium(): string | undefined {
  try {
    const { chromium } = require("@playwright/test") as { chromium: { executablePath: () => string } };
    return chromium.executablePath();
  } catch {
    return undefined;
  }
}

async function canReachPlaywrightHost(): Promise<boolean> {
  const hosts = process.env.PLAYWRIGHT_DOWNLOAD_HOST
    ? [process.env.PLAYWRIGHT_DOWNLOAD_HOST]
    : PLAYWRIGHT_HOSTS;
  for (const host of hosts) {
    try {
      await fetch(host, { method: "HEAD", signal: AbortSignal.timeout(4_000) });
      return true; // any HTTP answer: the host is reachable
    } catch {
      // unreachable: try the next one
    }
  }
  return false;
}

function canUseApt(): boolean {
  if (process.platform !== "linux" || userInfo().uid !== 0 || !which("apt-get")) return false;
  if (!existsSync("/etc/os-release")) return false;
  const release = readFileSync("/etc/os-release", "utf8");
  return /^(ID|ID_LIKE)=.*\b(debian|ubuntu)\b/m.test(release);
}

export const SYSTEM_MACHINE: Machine = {
  env: process.env,
  isExecutable,
  which,
  playwrightChromium,
  canReachPlaywrightHost,
  canUseApt,
};
