import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import {
  cyclicComponents,
  explainPair,
  libEdges,
  libImportsOfApp,
  readSourceFiles,
  resolveSpecifier,
  twoWayPairs,
  type SourceFile,
} from "./lib/import-graph";

// The layer rules of docs/ARCHITECTURE.md ("Layers"), checked on every `npm test`: lib/ folders form no
// cycle, each imports only its own layer or lower ones, lib/ never imports app/, and a route's private
// `_components/` are not imported by another route.

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/** Bottom to top. A lib/ folder (or top-level lib/ file) may import its own layer and the ones below. */
export const LAYERS: { name: string; nodes: string[] }[] = [
  {
    name: "foundation",
    nodes: [
      "lib/env",
      "lib/log",
      "lib/errors",
      "lib/generated",
      "lib/db",
      "lib/sql-pool",
      "lib/metrics",
      "lib/webhook-health-metrics",
      "lib/cookies",
      "lib/format",
      "lib/validated-action",
      "lib/crypto",
      "lib/net",
      "lib/audit",
      "lib/startup",
      "lib/ops",
    ],
  },
  { name: "OfficeRnD client and job queue", nodes: ["lib/officernd", "lib/jobs"] },
  { name: "sync engine", nodes: ["lib/sync"] },
  { name: "installations", nodes: ["lib/installations", "lib/accounts"] },
  { name: "partner sign-in", nodes: ["lib/auth"] },
  { name: "features", nodes: ["lib/connect", "lib/webhooks", "lib/dashboard"] },
  {
    name: "configuration page and processes",
    nodes: ["lib/configuration", "lib/worker", "lib/officernd-check"],
  },
  { name: "request pipeline", nodes: ["lib/http"] },
];

function layerOf(node: string): number {
  return LAYERS.findIndex((layer) => layer.nodes.includes(node));
}

/** Imports of an `app/<route>/_components/` module from outside `app/<route>/`. */
function foreignPrivateComponents(files: SourceFile[]): string[] {
  const found: string[] = [];
  for (const file of files) {
    for (const specifier of file.text.matchAll(
      /^\s*(?:import|export)\s+(?:[^'";]*?\sfrom\s*)?["']([^"']+)["']/gm,
    )) {
      const target = resolveSpecifier({ file: file.path, specifier: specifier[1] ?? "" });
      const owner = target?.match(/^(app\/.*?)\/_components\//)?.[1];
      if (owner && !file.path.startsWith(`${owner}/`)) found.push(`${file.path} → ${specifier[1]}`);
    }
  }
  return found;
}

describe("layers", () => {
  const files = readSourceFiles({ root, dirs: ["lib", "app", "components"] });
  const edges = libEdges(files);

  it("no two lib/ folders import each other, directly or around a longer cycle", () => {
    const pairs = twoWayPairs(edges).map((pair) => explainPair({ edges, pair }));
    expect(pairs).toEqual([]);
    expect(cyclicComponents(edges)).toEqual([]);
  });

  it("every lib/ folder has a layer and imports only its own layer or lower ones", () => {
    const nodes = [...new Set(edges.flatMap((edge) => [edge.from, edge.to]))];
    expect(nodes.filter((node) => layerOf(node) < 0)).toEqual([]);
    const upward = edges
      .filter((edge) => layerOf(edge.to) > layerOf(edge.from))
      .map((edge) => `${edge.file} → ${edge.specifier}`);
    expect(upward).toEqual([]);
  });

  it("lib/ never imports app/", () => {
    expect(libImportsOfApp(files).map((edge) => `${edge.file} → ${edge.specifier}`)).toEqual([]);
  });

  it("a route's _components/ are imported only inside that route", () => {
    expect(foreignPrivateComponents(files)).toEqual([]);
  });

  it("every repository path docs/ARCHITECTURE.md names exists (a module may be named without .ts)", () => {
    const doc = readFileSync(path.join(root, "docs/ARCHITECTURE.md"), "utf8");
    const named = [
      ...doc.matchAll(
        /\b((?:lib|app|components|scripts|test|e2e|bench|emulator|prisma)\/[\w./[\]-]*[\w\]/])/g,
      ),
    ].map((match) => match[1] ?? "");
    expect(named.length).toBeGreaterThan(20);
    const exists = (named: string) =>
      ["", ".ts", ".tsx"].some((extension) =>
        existsSync(path.join(root, named.replace(/\/$/, "") + extension)),
      );
    expect([...new Set(named)].filter((named) => !exists(named))).toEqual([]);
  });

  // The checks above pass only if they can fail: the same functions on small graphs with the faults.
  it("finds a two-way pair, a longer cycle, an import of app/ and a foreign private component", () => {
    const fixture = (entries: Record<string, string>): SourceFile[] =>
      Object.entries(entries).map(([file, text]) => ({ path: file, text }));
    const twoWay = libEdges(
      fixture({
        "lib/a/x.ts": 'import { y } from "@/lib/b/y";',
        "lib/b/y.ts": 'import type { X } from "../a/x";',
      }),
    );
    expect(twoWayPairs(twoWay)).toEqual([["lib/a", "lib/b"]]);
    const ring = libEdges(
      fixture({
        "lib/a/x.ts": 'export { y } from "@/lib/b/y";',
        "lib/b/y.ts": 'import "@/lib/c";',
        "lib/c.ts": 'const a = await import("@/lib/a/x");',
      }),
    );
    expect(twoWayPairs(ring)).toEqual([]);
    expect(cyclicComponents(ring)).toEqual([["lib/a", "lib/b", "lib/c"]]);
    expect(libImportsOfApp(fixture({ "lib/a/x.ts": 'import { Page } from "@/app/page";' }))).toHaveLength(1);
    expect(
      libEdges(fixture({ "lib/a/x.test.ts": "const text = 'import { y } from \"@/lib/b/y\"';" })),
    ).toEqual([]);
    const components = fixture({
      "app/connect/[id]/page.tsx": 'import { SignInForm } from "@/app/signin/_components/sign-in-form";',
      "app/signin/page.tsx": 'import { SignInForm } from "./_components/sign-in-form";',
    });
    expect(foreignPrivateComponents(components)).toEqual([
      "app/connect/[id]/page.tsx → @/app/signin/_components/sign-in-form",
    ]);
  });
});
