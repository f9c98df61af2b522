// Reads a V8 .cpuprofile (node --cpu-prof) of the production build and sums its samples by function
// and by area (a package, a source file of ours, Node itself), mapping the minified chunks back to
// their sources through the build's source maps. Self time: the function was running; total time: it
// was on the stack (counted once per sample however often it recurses).
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { PROJECT_DIR } from "../../scripts/lib/database.ts";

type CallFrame = { functionName: string; url: string; lineNumber: number; columnNumber: number };
type ProfileNode = { id: number; callFrame: CallFrame; children?: number[] };
type Profile = { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[]; endTime: number };

export type Frame = { name: string; area: string; where: string };
export type Summary = {
  totalMs: number;
  bySelf: [string, number][];
  byTotal: [string, number][];
  areasBySelf: [string, number][];
  areasByTotal: [string, number][];
};

/**
 * `window`: only the samples between these offsets before the profile's end (ms), e.g. the load phase
 * of a process that exited right after it.
 */
export function summariseProfile(file: string, window?: { fromEndMs: number; toEndMs: number }): Summary {
  const profile = JSON.parse(readFileSync(file, "utf8")) as Profile;
  const times: number[] = [];
  let clock = profile.endTime;
  for (let index = profile.timeDeltas.length - 1; index >= 0; index--) {
    times[index] = clock;
    clock -= profile.timeDeltas[index] ?? 0;
  }
  const isInWindow = (index: number) =>
    !window ||
    (times[index]! >= profile.endTime - window.fromEndMs * 1000 &&
      times[index]! <= profile.endTime - window.toEndMs * 1000);
  const parent = new Map<number, number>();
  const byId = new Map<number, ProfileNode>();
  for (const node of profile.nodes) {
    byId.set(node.id, node);
    for (const child of node.children ?? []) parent.set(child, node.id);
  }
  const frames = new Map<number, Frame>();
  const frameOf = (id: number): Frame => {
    let frame = frames.get(id);
    if (!frame) {
      frame = describe(byId.get(id)!.callFrame);
      frames.set(id, frame);
    }
    return frame;
  };
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  const areaSelf = new Map<string, number>();
  const areaTotal = new Map<string, number>();
  const add = (map: Map<string, number>, key: string, ms: number) => map.set(key, (map.get(key) ?? 0) + ms);
  let totalMs = 0;
  profile.samples.forEach((id, index) => {
    if (!isInWindow(index)) return;
    const ms = (profile.timeDeltas[index] ?? 0) / 1000;
    totalMs += ms;
    const leaf = frameOf(id);
    add(self, `${leaf.name}  ${leaf.where}`, ms);
    add(areaSelf, leaf.area, ms);
    const seen = new Set<string>();
    const seenAreas = new Set<string>();
    for (let node: number | undefined = id; node !== undefined; node = parent.get(node)) {
      const frame = frameOf(node);
      const key = `${frame.name}  ${frame.where}`;
      if (!seen.has(key)) {
        seen.add(key);
        add(total, key, ms);
      }
      if (!seenAreas.has(frame.area)) {
        seenAreas.add(frame.area);
        add(areaTotal, frame.area, ms);
      }
    }
  });
  const sorted = (map: Map<string, number>) => [...map.entries()].sort((a, b) => b[1] - a[1]);
  return {
    totalMs,
    bySelf: sorted(self),
    byTotal: sorted(total),
    areasBySelf: sorted(areaSelf),
    areasByTotal: sorted(areaTotal),
  };
}

function describe(frame: CallFrame): Frame {
  const name = frame.functionName || "(anonymous)";
  if (!frame.url) return { name, area: name.startsWith("(") ? name : "(native)", where: "" };
  if (frame.url.startsWith("node:")) return { name, area: frame.url, where: frame.url };
  const file = frame.url.startsWith("file://") ? fileURLToPath(frame.url) : frame.url;
  const found = originalPosition(file, frame.lineNumber, frame.columnNumber);
  // Sources are relative to the chunk they were bundled into, unless they carry a scheme.
  const mapped =
    found && !/^[a-z]+:/.test(found.source)
      ? { ...found, source: path.resolve(path.dirname(file), found.source) }
      : found;
  const generated = shortSource(file);
  // A package's own maps name its sources relative to itself: the generated file says which package.
  const source = mapped && !generated.startsWith("node_modules/") ? shortSource(mapped.source) : generated;
  const where = mapped
    ? `${shortSource(mapped.source)}:${mapped.line + 1}`
    : `${generated}:${frame.lineNumber + 1}`;
  const area = generated.startsWith("node_modules/") ? areaOf(generated) : areaOf(source);
  return {
    name: mapped?.name ?? name,
    area,
    where: generated.startsWith("node_modules/") ? `${generated}:${frame.lineNumber + 1}` : where,
  };
}

function shortSource(source: string): string {
  const modules = source.lastIndexOf("node_modules/");
  if (modules >= 0) return source.slice(modules);
  const project = source.indexOf("[project]/");
  if (project >= 0) return source.slice(project + "[project]/".length);
  return path.isAbsolute(source) ? path.relative(PROJECT_DIR, source) : source;
}

function areaOf(source: string): string {
  const modules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(source);
  if (modules) {
    const pkg = modules[1]!;
    if (pkg === "next") {
      const compiled = /next\/dist\/compiled\/([^/]+)/.exec(source);
      return compiled ? `next (compiled ${compiled[1]})` : "next";
    }
    return pkg;
  }
  if (/^(lib|app)\//.test(source) || source === "proxy.ts") return source;
  if (source.includes("[turbopack]")) return "(turbopack runtime)";
  return source.includes(".next") ? "(our build, unmapped)" : source;
}

// Source maps: plain or sectioned (index) maps, decoded once per file.
type Segment = [column: number, source: number, line: number, sourceColumn: number, name?: number];
type DecodedMap = { sources: string[]; names: string[]; lines: Segment[][] };
type Section = { line: number; column: number; map: DecodedMap };
const maps = new Map<string, Section[] | null>();

function originalPosition(
  file: string,
  line: number,
  column: number,
): { source: string; line: number; name?: string } | undefined {
  let sections = maps.get(file);
  if (sections === undefined) {
    sections = loadMap(file);
    maps.set(file, sections);
  }
  if (!sections) return undefined;
  let section: Section | undefined;
  for (const candidate of sections)
    if (candidate.line < line || (candidate.line === line && candidate.column <= column)) section = candidate;
  if (!section) return undefined;
  const relativeLine = line - section.line;
  const relativeColumn = relativeLine === 0 ? column - section.column : column;
  const segments = section.map.lines[relativeLine];
  if (!segments) return undefined;
  let found: Segment | undefined;
  for (const segment of segments) {
    if (segment[0] > relativeColumn) break;
    found = segment;
  }
  if (!found) return undefined;
  const source = section.map.sources[found[1]];
  if (source === undefined) return undefined;
  return {
    source,
    line: found[2],
    ...(found[4] !== undefined ? { name: section.map.names[found[4]] } : {}),
  };
}

type RawMap = {
  sources?: string[];
  names?: string[];
  mappings?: string;
  sections?: { offset: { line: number; column: number }; map: RawMap }[];
};

function loadMap(file: string): Section[] | null {
  if (!existsSync(`${file}.map`)) return null;
  try {
    const raw = JSON.parse(readFileSync(`${file}.map`, "utf8")) as RawMap;
    if (raw.sections)
      return raw.sections.map((section) => ({
        line: section.offset.line,
        column: section.offset.column,
        map: decode(section.map),
      }));
    return [{ line: 0, column: 0, map: decode(raw) }];
  } catch {
    return null;
  }
}

const BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

function decode(raw: RawMap): DecodedMap {
  const lines: Segment[][] = [];
  let [source, line, sourceColumn, name] = [0, 0, 0, 0];
  for (const text of (raw.mappings ?? "").split(";")) {
    const segments: Segment[] = [];
    let column = 0;
    for (const part of text.split(",")) {
      if (!part) continue;
      const values = vlq(part);
      column += values[0]!;
      if (values.length < 4) continue;
      source += values[1]!;
      line += values[2]!;
      sourceColumn += values[3]!;
      if (values.length >= 5) {
        name += values[4]!;
        segments.push([column, source, line, sourceColumn, name]);
      } else segments.push([column, source, line, sourceColumn]);
    }
    lines.push(segments);
  }
  return { sources: raw.sources ?? [], names: raw.names ?? [], lines };
}

function vlq(text: string): number[] {
  const values: number[] = [];
  let value = 0;
  let shift = 0;
  for (const char of text) {
    const digit = BASE64.indexOf(char);
    value += (digit & 31) << shift;
    if (digit & 32) shift += 5;
    else {
      values.push(value & 1 ? -(value >>> 1) : value >>> 1);
      value = 0;
      shift = 0;
    }
  }
  return values;
}
