// Which Chromium the end-to-end tests launch, and how npm test provides one on a machine without any.
// Pure decisions over an injected view of the machine (files, PATH, network, user), so every branch is
// tested with fakes (scripts/lib/browser.test.ts); scripts/lib/browser-system.ts is the real view.

/** An explicit browser; wins over everything else. */
export const BROWSER_ENV = "PLAYWRIGHT_CHROMIUM_EXECUTABLE";
/**
 * Simulates a machine without a browser (for tests of this module's paths through npm test):
 * `installed` hides every installed browser (Playwright's and the system's), `all` also makes both
 * install routes unavailable.
 */
export const HIDE_BROWSER_ENV = "NPM_TEST_HIDE_BROWSER";

/** System browsers, in order: absolute paths, then names looked up on PATH. */
export const SYSTEM_BROWSERS = [
  "/usr/bin/chromium",
  "/usr/bin/chromium-browser",
  "chromium",
  "chromium-browser",
  "google-chrome",
  "google-chrome-stable",
  "chrome",
];
/** Where Debian's and Ubuntu's `chromium` package puts the browser. */
export const APT_BROWSER_PATH = "/usr/bin/chromium";

export type Machine = {
  env: Record<string, string | undefined>;
  /** True for an existing executable file. */
  isExecutable: (file: string) => boolean;
  /** `name` looked up on PATH, or undefined. */
  which: (name: string) => string | undefined;
  /** Where Playwright's own Chromium is (or would be) installed. */
  playwrightChromium: () => string | undefined;
  /** True when Playwright's download host answers. */
  canReachPlaywrightHost: () => Promise<boolean>;
  /** Root on Debian or Ubuntu with apt-get on PATH. */
  canUseApt: () => boolean;
};

export type Found = { path: string; source: "env" | "playwright" | "system" };
export type Install = {
  method: "playwright" | "apt";
  command: string;
  steps: { command: string; args: string[] }[];
  expectedPath: () => string | undefined;
};
export type BrowserPlan =
  | { kind: "found"; browser: Found }
  | { kind: "install"; install: Install }
  | { kind: "impossible"; message: string };

const PLAYWRIGHT_INSTALL = "npx playwright install chromium";
const APT_INSTALL = "apt-get install -y chromium";

/**
 * The installed browser to use, without installing anything: PLAYWRIGHT_CHROMIUM_EXECUTABLE, else
 * Playwright's managed Chromium, else a system Chromium or Chrome. Throws when the variable names a
 * file that is not an executable (a typo must not silently fall through to another browser).
 */
export function findInstalledBrowser(machine: Machine): Found | undefined {
  const explicit = machine.env[BROWSER_ENV];
  if (explicit) {
    if (!machine.isExecutable(explicit))
      throw new Error(`${BROWSER_ENV}=${explicit} is not an executable file. Fix the path or unset it.`);
    return { path: explicit, source: "env" };
  }
  if (machine.env[HIDE_BROWSER_ENV]) return undefined;
  const managed = machine.playwrightChromium();
  if (managed && machine.isExecutable(managed)) return { path: managed, source: "playwright" };
  for (const candidate of SYSTEM_BROWSERS) {
    const file = candidate.startsWith("/") ? candidate : machine.which(candidate);
    if (file && machine.isExecutable(file)) return { path: file, source: "system" };
  }
  return undefined;
}

/** The browser to use, or how to install one, or the one message to stop with. */
export async function planBrowser(machine: Machine): Promise<BrowserPlan> {
  let found: Found | undefined;
  try {
    found = findInstalledBrowser(machine);
  } catch (error) {
    return { kind: "impossible", message: (error as Error).message };
  }
  if (found) return { kind: "found", browser: found };
  const canInstall = machine.env[HIDE_BROWSER_ENV] !== "all";
  if (canInstall && (await machine.canReachPlaywrightHost()))
    return {
      kind: "install",
      install: {
        method: "playwright",
        command: PLAYWRIGHT_INSTALL,
        steps: [{ command: "playwright", args: ["install", "chromium"] }],
        expectedPath: machine.playwrightChromium,
      },
    };
  if (canInstall && machine.canUseApt())
    return {
      kind: "install",
      install: {
        method: "apt",
        command: APT_INSTALL,
        steps: [
          { command: "apt-get", args: ["update", "-q"] },
          { command: "apt-get", args: ["install", "-y", "-q", "chromium"] },
        ],
        expectedPath: () => APT_BROWSER_PATH,
      },
    };
  return {
    kind: "impossible",
    message:
      `No Chromium found and none can be installed from here (Playwright's download host is unreachable and apt-get needs root on Debian/Ubuntu). ` +
      `Run \`${PLAYWRIGHT_INSTALL}\` (or \`sudo ${APT_INSTALL}\`), or set ${BROWSER_ENV}=/path/to/chromium, then npm test again.`,
  };
}

/**
 * Resolves a browser for npm test, installing one when needed: the path to launch, or an Error whose
 * message is the one line to print. `run` executes a step with visible progress and says if it worked.
 */
export async function ensureBrowser(
  machine: Machine,
  run: (step: { command: string; args: string[] }) => Promise<boolean>,
  say: (line: string) => void,
): Promise<Found> {
  const plan = await planBrowser(machine);
  if (plan.kind === "found") return plan.browser;
  if (plan.kind === "impossible") throw new Error(plan.message);
  const { install } = plan;
  say(
    `No Chromium found: installing one with \`${install.command}\` (progress below; set ${BROWSER_ENV} to use another browser).`,
  );
  for (const step of install.steps) {
    if (!(await run(step)))
      throw new Error(
        `Installing Chromium failed (\`${install.command}\`). Run it yourself, or set ${BROWSER_ENV}=/path/to/chromium, then npm test again.`,
      );
  }
  const installed = install.expectedPath();
  if (!installed || !machine.isExecutable(installed))
    throw new Error(
      `\`${install.command}\` finished but no Chromium is at ${installed ?? "the expected place"}. Set ${BROWSER_ENV}=/path/to/chromium.`,
    );
  say(`Chromium installed: ${installed}`);
  return { path: installed, source: install.method === "apt" ? "system" : "playwright" };
}
