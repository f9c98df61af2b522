import type { IncomingMessage, ServerResponse } from "node:http";

export type RouteRequest<Context> = {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  params: Record<string, string>;
  context: Context;
};

export type RouteHandler<Context> = (request: RouteRequest<Context>) => Promise<void> | void;

type Route<Context> = { method: string; segments: string[]; handler: RouteHandler<Context> };

export type RouteMatch<Context> = { handler: RouteHandler<Context>; params: Record<string, string> };

function splitPath(path: string): string[] {
  return path.split("/").filter((segment) => segment !== "");
}

/** A tiny method + path router; `:name` segments become params. */
export class Router<Context> {
  private readonly routes: Route<Context>[] = [];

  on(method: string, pattern: string, handler: RouteHandler<Context>): this {
    this.routes.push({ method, segments: splitPath(pattern), handler });
    return this;
  }

  /** The matching route, or the list of methods the path allows (empty when the path is unknown). */
  match(method: string, pathname: string): RouteMatch<Context> | { allowed: string[] } {
    const segments = splitPath(pathname);
    const allowed: string[] = [];
    for (const route of this.routes) {
      const params = matchSegments(route.segments, segments);
      if (!params) continue;
      if (route.method === method) return { handler: route.handler, params };
      allowed.push(route.method);
    }
    return { allowed };
  }
}

function matchSegments(pattern: string[], segments: string[]): Record<string, string> | undefined {
  if (pattern.length !== segments.length) return undefined;
  const params: Record<string, string> = {};
  for (const [index, part] of pattern.entries()) {
    const segment = segments[index] ?? "";
    if (part.startsWith(":")) {
      try {
        params[part.slice(1)] = decodeURIComponent(segment);
      } catch {
        return undefined;
      }
    } else if (part !== segment) return undefined;
  }
  return params;
}
