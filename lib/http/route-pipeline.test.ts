import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

// Every route handler goes through the request pipeline (docs/ARCHITECTURE.md, "Request pipeline"):
// each exported HTTP method of every app/**/route.ts must be built by one of the wrappers in lib/http/,
// so request id, security headers, limits, metrics, the access log and error mapping cannot be forgotten.

const APP_DIR = path.resolve(__dirname, "../../app");
const METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);
/** The wrapper family and the module each must come from. */
const WRAPPERS: Record<string, string> = {
  withErrors: "@/lib/http/respond",
  withSignedRequest: "@/lib/http/signed-request",
  signedMethodNotAllowed: "@/lib/http/signed-request",
  withRedirects: "@/lib/http/redirect-route",
};
/** Handlers deliberately outside the wrappers. */
const EXEMPT: Record<string, string[]> = {
  // A constant 405 (else Next answers HEAD by running GET, which spends OfficeRnD's one-time code). It stays
  // a plain synchronous function because test/connect-failures.test.ts calls `HEAD().status` and every
  // wrapper is async; it cannot fail, and proxy.ts gives it the request id and security headers.
  "app/connect/route.ts": ["HEAD"],
};

type Finding = { method: string; isWrapped: boolean; how: string };

/** Each exported HTTP method of a route module's source, and whether a pipeline wrapper builds it. */
function checkRouteSource(source: string): Finding[] {
  const file = ts.createSourceFile("route.ts", source, ts.ScriptTarget.Latest, true);
  const imports = new Map<string, string>();
  const consts = new Map<string, ts.Expression>();
  const exported: { method: string; local: string | ts.Expression | null }[] = [];
  for (const statement of file.statements) {
    if (ts.isImportDeclaration(statement) && ts.isStringLiteral(statement.moduleSpecifier)) {
      const bindings = statement.importClause?.namedBindings;
      if (bindings && ts.isNamedImports(bindings)) {
        for (const element of bindings.elements)
          imports.set(element.name.text, statement.moduleSpecifier.text);
      }
    }
    const isExported =
      ts.canHaveModifiers(statement) &&
      ts.getModifiers(statement)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
    if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) {
        if (!ts.isIdentifier(declaration.name)) continue;
        if (declaration.initializer) consts.set(declaration.name.text, declaration.initializer);
        if (isExported && METHODS.has(declaration.name.text))
          exported.push({ method: declaration.name.text, local: declaration.initializer ?? null });
      }
    }
    if (
      ts.isFunctionDeclaration(statement) &&
      isExported &&
      statement.name &&
      METHODS.has(statement.name.text)
    ) {
      exported.push({ method: statement.name.text, local: null });
    }
    if (
      ts.isExportDeclaration(statement) &&
      statement.exportClause &&
      ts.isNamedExports(statement.exportClause)
    ) {
      for (const element of statement.exportClause.elements) {
        if (METHODS.has(element.name.text))
          exported.push({ method: element.name.text, local: (element.propertyName ?? element.name).text });
      }
    }
  }
  const resolve = (target: string | ts.Expression | null, depth = 0): Finding["how"] | null => {
    if (target === null || depth > 5) return null;
    const expression = typeof target === "string" ? consts.get(target) : target;
    if (!expression) return null;
    if (ts.isIdentifier(expression)) return resolve(expression.text, depth + 1);
    if (!ts.isCallExpression(expression) || !ts.isIdentifier(expression.expression)) return null;
    const callee = expression.expression.text;
    return WRAPPERS[callee] !== undefined && imports.get(callee) === WRAPPERS[callee] ? callee : null;
  };
  return exported.map(({ method, local }) => {
    const how = resolve(local);
    return { method, isWrapped: how !== null, how: how ?? "not built by a pipeline wrapper" };
  });
}

function routeFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((name) => path.basename(name) === "route.ts")
    .map((name) => path.relative(path.resolve(APP_DIR, ".."), path.join(dir, name)).split(path.sep).join("/"))
    .sort();
}

describe("the request pipeline", () => {
  const files = routeFiles(APP_DIR);

  it("finds the app's route files", () => {
    expect(files.length).toBeGreaterThanOrEqual(12);
    expect(files).toContain("app/connect/route.ts");
    expect(files).toContain("app/api/officernd/healthcheck/route.ts");
  });

  it.each(files)("%s exports every handler through a lib/http wrapper", (file) => {
    const findings = checkRouteSource(readFileSync(path.resolve(APP_DIR, "..", file), "utf8"));
    expect(findings.length, "a route file exports at least one HTTP method").toBeGreaterThan(0);
    const unwrapped = findings.filter(
      (finding) => !finding.isWrapped && !(EXEMPT[file] ?? []).includes(finding.method),
    );
    expect(unwrapped.map(({ method, how }) => `${method}: ${how}`)).toEqual([]);
  });

  it("refuses a handler that skips the wrappers, however it is exported", () => {
    const header =
      'import { withErrors } from "@/lib/http/respond";\nimport { wrapped } from "@/lib/elsewhere";\n';
    const cases: [string, boolean][] = [
      ["export async function GET() { return new Response(); }", false],
      ["export const GET = async () => new Response();", false],
      ["const handler = async () => new Response();\nexport { handler as POST };", false],
      ["export const GET = wrapped(async () => new Response());", false],
      ['export const GET = withErrors("x", async () => new Response());', true],
      [
        'const route = withErrors("x", async () => new Response());\nexport { route as GET, route as POST };',
        true,
      ],
      [
        'const route = withErrors("x", async () => new Response());\nconst alias = route;\nexport const DELETE = alias;',
        true,
      ],
    ];
    for (const [body, isWrapped] of cases) {
      const findings = checkRouteSource(header + body);
      expect(findings.length, body).toBeGreaterThan(0);
      expect(
        findings.every((finding) => finding.isWrapped === isWrapped),
        body,
      ).toBe(true);
    }
  });

  it("a wrapper of the same name from another module does not count", () => {
    const findings = checkRouteSource(
      'import { withErrors } from "./local";\nexport const GET = withErrors("x", async () => new Response());',
    );
    expect(findings).toEqual([{ method: "GET", isWrapped: false, how: "not built by a pipeline wrapper" }]);
  });
});
