// npm run worker – the worker without a TypeScript loader at run time. scripts/worker.ts and the lib/
// code it reaches are bundled by esbuild (well under a second) into one ES module under .data/worker/,
// which this process then imports; packages stay external (node_modules as installed). Run under tsx,
// the same worker holds ~50 MB more: tsx's hooks thread and the transformed source of every module.
// Development and the tests start scripts/worker.ts under tsx directly (same code, same behaviour).
import { buildSync } from "esbuild";
import { mkdirSync, rmSync } from "node:fs";
import path from "node:path";
import process from "node:process";
import { fileURLToPath, pathToFileURL } from "node:url";

const projectDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const outDir = path.join(projectDir, ".data", "worker");
// One file per process: several workers may start on one machine at once.
const outfile = path.join(outDir, `worker-${process.pid}.mjs`);

mkdirSync(outDir, { recursive: true });
buildSync({
  entryPoints: [path.join(projectDir, "scripts", "worker.ts")],
  outfile,
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  packages: "external",
  conditions: ["react-server"],
  sourcemap: "linked",
  logLevel: "warning",
});
// Stack traces name the TypeScript lines.
process.setSourceMapsEnabled(true);
try {
  await import(pathToFileURL(outfile).href);
} finally {
  // Loaded (its source map too): the files are not needed any more.
  rmSync(outfile, { force: true });
  rmSync(`${outfile}.map`, { force: true });
}
