// StrykerJS mutation testing (`npm run test:mutation`, issue 18): mutates the modules where a silent
// regression costs most and runs the vitest tests that cover each mutant. scripts/mutation.ts starts
// the test database, runs this once per module (or the modules named on its command line) and prints
// the score per module; HTML and JSON reports go to .data/mutation/.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: "vitest",
  plugins: ["@stryker-mutator/vitest-runner"],
  vitest: { configFile: "vitest.config.ts", related: true },
  coverageAnalysis: "perTest",
  // A shared 2-core machine: one test runner at a time.
  concurrency: 1,
  timeoutMS: 30_000,
  // scripts/mutation.ts passes the modules to mutate (MODULES there, or those named on its command line).
  ignorePatterns: [".data", ".next", ".next-*", "test-results", "playwright-report", "e2e"],
  tempDirName: ".data/stryker-tmp",
  reporters: ["html", "json", "clear-text", "progress"],
  // scripts/mutation.ts sets the vitest config, the test files and a report folder per module.
  htmlReporter: { fileName: ".data/mutation/index.html" },
  jsonReporter: { fileName: ".data/mutation/report.json" },
  thresholds: { high: 85, low: 70, break: null },
  cleanTempDir: "always",
};
