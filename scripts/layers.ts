// npm run layers – prints lib/'s folder graph: two-way folder pairs, cycles (strongly connected
// components), imports of app/ from lib/, and the share of comment lines in lib/ (tests excluded).
// scripts/layers.test.ts fails on the same cycles; this prints the figures and every edge.
import path from "node:path";
import { fileURLToPath } from "node:url";
import {
  cyclicComponents,
  explainPair,
  libEdges,
  libImportsOfApp,
  readSourceFiles,
  twoWayPairs,
} from "./lib/import-graph";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const files = readSourceFiles({ root, dirs: ["lib", "app", "components"] });
const edges = libEdges(files);
const pairs = twoWayPairs(edges);
const components = cyclicComponents(edges);
const appImports = libImportsOfApp(files);

const verbose = process.argv.includes("--edges");
if (verbose) {
  const byFolder = new Map<string, Set<string>>();
  for (const edge of edges) byFolder.set(edge.from, (byFolder.get(edge.from) ?? new Set()).add(edge.to));
  for (const [from, targets] of [...byFolder].sort())
    console.log(`${from} → ${[...targets].sort().join(", ")}`);
  console.log("");
}
for (const pair of pairs) console.log(explainPair({ edges, pair }));
for (const component of components) console.log(`cycle of ${component.length}: ${component.join(", ")}`);
for (const edge of appImports) console.log(`lib imports app: ${edge.file} → ${edge.specifier}`);

const libSource = files.filter((file) => file.path.startsWith("lib/") && !/\.test\.tsx?$/.test(file.path));
const lines = libSource.flatMap((file) => file.text.split("\n")).filter((line) => line.trim() !== "");
const commentLines = lines.filter((line) => /^\s*(\/\/|\/\*|\*)/.test(line)).length;

console.log(`two-way folder pairs in lib/: ${pairs.length}`);
console.log(
  `largest folder cycle (SCC) in lib/: ${components[0]?.length ?? 0} folders (${components.length} cycles)`,
);
console.log(`lib/ imports of app/: ${appImports.length}`);
console.log(
  `comment-only lines in lib/ (tests excluded): ${commentLines} of ${lines.length} non-blank (${((100 * commentLines) / lines.length).toFixed(1)} %)`,
);
