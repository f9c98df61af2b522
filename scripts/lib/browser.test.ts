import { describe, expect, it } from "vitest";
import {
  APT_BROWSER_PATH,
  BROWSER_ENV,
  ensureBrowser,
  findInstalledBrowser,
  HIDE_BROWSER_ENV,
  planBrowser,
  type Machine,
} from "./browser.ts";

const MANAGED = "/root/.cache/ms-playwright/chromium-1255/chrome-linux64/chrome";

/** A fake machine: the executables that exist, what PATH finds, and which install routes work. */
function machine(
  options: {
    files?: string[];
    path?: Record<string, string>;
    env?: Record<string, string>;
    online?: boolean;
    apt?: boolean;
  } = {},
): Machine & {
  files: Set<string>;
} {
  const files = new Set(options.files ?? []);
  return {
    files,
    env: options.env ?? {},
    isExecutable: (file) => files.has(file),
    which: (name) => options.path?.[name],
    playwrightChromium: () => MANAGED,
    canReachPlaywrightHost: async () => options.online ?? false,
    canUseApt: () => options.apt ?? false,
  };
}

describe("findInstalledBrowser", () => {
  it("takes PLAYWRIGHT_CHROMIUM_EXECUTABLE first, even when other browsers exist", () => {
    const found = findInstalledBrowser(
      machine({
        files: ["/opt/chrome", MANAGED, "/usr/bin/chromium"],
        env: { [BROWSER_ENV]: "/opt/chrome" },
      }),
    );
    expect(found).toEqual({ path: "/opt/chrome", source: "env" });
  });

  it("refuses a PLAYWRIGHT_CHROMIUM_EXECUTABLE that is not an executable instead of falling through", () => {
    expect(() =>
      findInstalledBrowser(machine({ files: ["/usr/bin/chromium"], env: { [BROWSER_ENV]: "/opt/typo" } })),
    ).toThrow(`${BROWSER_ENV}=/opt/typo is not an executable file`);
  });

  it("prefers Playwright's managed Chromium over a system one", () => {
    expect(findInstalledBrowser(machine({ files: [MANAGED, "/usr/bin/chromium"] }))).toEqual({
      path: MANAGED,
      source: "playwright",
    });
  });

  it("falls back to the system Chromium at /usr/bin/chromium", () => {
    expect(findInstalledBrowser(machine({ files: ["/usr/bin/chromium"] }))).toEqual({
      path: "/usr/bin/chromium",
      source: "system",
    });
  });

  it("finds google-chrome on PATH when no Chromium is installed", () => {
    const found = findInstalledBrowser(
      machine({
        files: ["/opt/google/chrome/google-chrome"],
        path: { "google-chrome": "/opt/google/chrome/google-chrome" },
      }),
    );
    expect(found).toEqual({ path: "/opt/google/chrome/google-chrome", source: "system" });
  });

  it("ignores a PATH entry that is not executable", () => {
    expect(findInstalledBrowser(machine({ path: { chromium: "/snap/bin/chromium" } }))).toBeUndefined();
  });

  it("hides every installed browser when NPM_TEST_HIDE_BROWSER is set, but not an explicit one", () => {
    const files = [MANAGED, "/usr/bin/chromium", "/opt/chrome"];
    expect(
      findInstalledBrowser(machine({ files, env: { [HIDE_BROWSER_ENV]: "installed" } })),
    ).toBeUndefined();
    expect(
      findInstalledBrowser(
        machine({ files, env: { [HIDE_BROWSER_ENV]: "all", [BROWSER_ENV]: "/opt/chrome" } }),
      )?.path,
    ).toBe("/opt/chrome");
  });
});

describe("planBrowser", () => {
  it("uses an installed browser without probing the network", async () => {
    const probed: string[] = [];
    const fake = {
      ...machine({ files: ["/usr/bin/chromium"] }),
      canReachPlaywrightHost: async () => (probed.push("host"), true),
    };
    expect(await planBrowser(fake)).toEqual({
      kind: "found",
      browser: { path: "/usr/bin/chromium", source: "system" },
    });
    expect(probed).toEqual([]);
  });

  it("installs with Playwright when its download host is reachable, even as root on Debian", async () => {
    const plan = await planBrowser(machine({ online: true, apt: true }));
    expect(plan.kind === "install" && plan.install.command).toBe("npx playwright install chromium");
    expect(plan.kind === "install" && plan.install.steps).toEqual([
      { command: "playwright", args: ["install", "chromium"] },
    ]);
  });

  it("installs with apt-get when offline but root on Debian/Ubuntu", async () => {
    const plan = await planBrowser(machine({ online: false, apt: true }));
    expect(plan.kind === "install" && plan.install.command).toBe("apt-get install -y chromium");
    expect(
      plan.kind === "install" && plan.install.steps.map((step) => `${step.command} ${step.args.join(" ")}`),
    ).toEqual(["apt-get update -q", "apt-get install -y -q chromium"]);
    expect(plan.kind === "install" && plan.install.expectedPath()).toBe(APT_BROWSER_PATH);
  });

  it("stops with one message naming the command when it can neither find nor install a browser", async () => {
    const plan = await planBrowser(machine({ online: false, apt: false }));
    expect(plan.kind).toBe("impossible");
    expect(plan.kind === "impossible" && plan.message).toContain("Run `npx playwright install chromium`");
    expect(plan.kind === "impossible" && plan.message).toContain(`set ${BROWSER_ENV}=`);
  });

  it("NPM_TEST_HIDE_BROWSER=all also rules out both install routes", async () => {
    const plan = await planBrowser(
      machine({ files: ["/usr/bin/chromium"], online: true, apt: true, env: { [HIDE_BROWSER_ENV]: "all" } }),
    );
    expect(plan.kind).toBe("impossible");
  });

  it("turns a bad PLAYWRIGHT_CHROMIUM_EXECUTABLE into the one message", async () => {
    const plan = await planBrowser(machine({ online: true, env: { [BROWSER_ENV]: "/nope" } }));
    expect(plan).toEqual({
      kind: "impossible",
      message: `${BROWSER_ENV}=/nope is not an executable file. Fix the path or unset it.`,
    });
  });
});

describe("ensureBrowser", () => {
  it("runs the install steps in order, announces them on one line, and returns the installed browser", async () => {
    const fake = machine({ apt: true });
    const ran: string[] = [];
    const said: string[] = [];
    const found = await ensureBrowser(
      fake,
      async (step) => {
        ran.push(`${step.command} ${step.args.join(" ")}`);
        if (step.args.includes("chromium")) fake.files.add(APT_BROWSER_PATH);
        return true;
      },
      (line) => said.push(line),
    );
    expect(found).toEqual({ path: APT_BROWSER_PATH, source: "system" });
    expect(ran).toEqual(["apt-get update -q", "apt-get install -y -q chromium"]);
    expect(said[0]).toBe(
      `No Chromium found: installing one with \`apt-get install -y chromium\` (progress below; set ${BROWSER_ENV} to use another browser).`,
    );
  });

  it("finds the freshly installed browser even when installed browsers are hidden (the simulated bare machine)", async () => {
    const fake = machine({ online: true, env: { [HIDE_BROWSER_ENV]: "installed" } });
    const found = await ensureBrowser(
      fake,
      async () => {
        fake.files.add(MANAGED);
        return true;
      },
      () => {},
    );
    expect(found).toEqual({ path: MANAGED, source: "playwright" });
  });

  it("stops after a failed install step with a message naming the command", async () => {
    const ran: string[] = [];
    const attempt = ensureBrowser(
      machine({ apt: true }),
      async (step) => (ran.push(step.args[0]!), false),
      () => {},
    );
    await expect(attempt).rejects.toThrow("Installing Chromium failed (`apt-get install -y chromium`)");
    expect(ran).toEqual(["update"]);
  });

  it("reports an install that succeeded without producing a browser", async () => {
    await expect(
      ensureBrowser(
        machine({ online: true }),
        async () => true,
        () => {},
      ),
    ).rejects.toThrow(`no Chromium is at ${MANAGED}`);
  });

  it("throws the impossible plan's message without running anything", async () => {
    const ran: string[] = [];
    const attempt = ensureBrowser(
      machine(),
      async (step) => (ran.push(step.command), true),
      () => {},
    );
    await expect(attempt).rejects.toThrow("No Chromium found and none can be installed from here");
    expect(ran).toEqual([]);
  });
});
