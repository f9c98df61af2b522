import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

// The folder graph of lib/: which folder imports which. Used by scripts/layers.test.ts (fails on a cycle
// or a layer rule broken) and by scripts/layers.ts (prints the figures).

export type SourceFile = { path: string; text: string };
export type Edge = { from: string; to: string; file: string; specifier: string };

const SOURCE = /\.(ts|tsx)$/;
// Statements that start a line (`import … from "x"`, `export … from "x"`, `import "x"`), and dynamic
// `import("x")`; an import written inside a string (a test's fixture) does not start a line.
const STATIC_IMPORT = /^\s*(?:import|export)\s+(?:[^'";]*?\sfrom\s*)?["']([^"']+)["']/gm;
const DYNAMIC_IMPORT = /\bimport\(\s*["']([^"']+)["']\s*\)/g;

export function readSourceFiles({ root, dirs }: { root: string; dirs: string[] }): SourceFile[] {
  const files: SourceFile[] = [];
  const walk = (relativeDir: string) => {
    for (const entry of readdirSync(path.join(root, relativeDir), { withFileTypes: true })) {
      const relative = path.posix.join(relativeDir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== "generated" && entry.name !== "node_modules") walk(relative);
      } else if (SOURCE.test(entry.name)) {
        files.push({ path: relative, text: readFileSync(path.join(root, relative), "utf8") });
      }
    }
  };
  for (const dir of dirs) walk(dir);
  return files;
}

export function importSpecifiers(text: string): string[] {
  return [...text.matchAll(STATIC_IMPORT), ...text.matchAll(DYNAMIC_IMPORT)].map((match) => match[1] ?? "");
}

/** The repository-relative target of an import, or null for a package. */
export function resolveSpecifier({ file, specifier }: { file: string; specifier: string }): string | null {
  if (specifier.startsWith("@/")) return specifier.slice(2);
  if (specifier.startsWith("."))
    return path.posix.normalize(path.posix.join(path.posix.dirname(file), specifier));
  return null;
}

/**
 * The node a lib/ module belongs to: its folder (`lib/sync`), or the file itself for a top-level module
 * (`lib/db`), so `lib/db.ts` importing `lib/sync` and back is a cycle too. Null outside lib/.
 */
export function libNode(target: string): string | null {
  const parts = target
    .replace(SOURCE, "")
    .replace(/\.test$/, "")
    .split("/");
  if (parts[0] !== "lib" || parts.length < 2) return null;
  return `lib/${parts[1]}`;
}

export function libEdges(files: SourceFile[]): Edge[] {
  const edges: Edge[] = [];
  for (const file of files) {
    const from = libNode(file.path);
    if (!from) continue;
    for (const specifier of importSpecifiers(file.text)) {
      const target = resolveSpecifier({ file: file.path, specifier });
      const to = target ? libNode(target) : null;
      if (to && to !== from) edges.push({ from, to, file: file.path, specifier });
    }
  }
  return edges;
}

/** Imports from lib/ into app/ (lib is below every route). */
export function libImportsOfApp(files: SourceFile[]): Edge[] {
  return files
    .filter((file) => file.path.startsWith("lib/"))
    .flatMap((file) =>
      importSpecifiers(file.text)
        .map((specifier) => ({ specifier, target: resolveSpecifier({ file: file.path, specifier }) }))
        .filter(({ target }) => target?.startsWith("app/"))
        .map(({ specifier, target }) => ({ from: file.path, to: target ?? "", file: file.path, specifier })),
    );
}

export function adjacency(edges: Edge[]): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  for (const { from, to } of edges) {
    if (!graph.has(from)) graph.set(from, new Set());
    if (!graph.has(to)) graph.set(to, new Set());
    graph.get(from)?.add(to);
  }
  return graph;
}

/** Pairs of folders that import each other, each pair once, sorted. */
export function twoWayPairs(edges: Edge[]): [string, string][] {
  const graph = adjacency(edges);
  const pairs: [string, string][] = [];
  for (const [from, targets] of graph) {
    for (const to of targets) if (from < to && graph.get(to)?.has(from)) pairs.push([from, to]);
  }
  return pairs.sort((a, b) => a.join().localeCompare(b.join()));
}

/** Strongly connected components with more than one node (Tarjan), i.e. every cycle, longest first. */
export function cyclicComponents(edges: Edge[]): string[][] {
  const graph = adjacency(edges);
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  let next = 0;
  const visit = (node: string) => {
    index.set(node, next);
    low.set(node, next);
    next += 1;
    stack.push(node);
    onStack.add(node);
    for (const to of graph.get(node) ?? []) {
      if (!index.has(to)) {
        visit(to);
        low.set(node, Math.min(low.get(node) ?? 0, low.get(to) ?? 0));
      } else if (onStack.has(to)) {
        low.set(node, Math.min(low.get(node) ?? 0, index.get(to) ?? 0));
      }
    }
    if (low.get(node) !== index.get(node)) return;
    const component: string[] = [];
    let member: string | undefined;
    do {
      member = stack.pop();
      if (member === undefined) break;
      onStack.delete(member);
      component.push(member);
    } while (member !== node);
    if (component.length > 1) components.push(component.sort());
  };
  for (const node of [...graph.keys()].sort()) if (!index.has(node)) visit(node);
  return components.sort((a, b) => b.length - a.length);
}

/** The files behind each direction of a two-way pair, for a readable failure message. */
export function explainPair({ edges, pair }: { edges: Edge[]; pair: [string, string] }): string {
  const [a, b] = pair;
  const direction = (from: string, to: string) =>
    [
      ...new Set(
        edges
          .filter((edge) => edge.from === from && edge.to === to)
          .map((edge) => `${edge.file} → ${edge.specifier}`),
      ),
    ].join(", ");
  return `${a} ↔ ${b}\n  ${direction(a, b)}\n  ${direction(b, a)}`;
}
