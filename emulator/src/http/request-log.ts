// Counts the requests the emulator answered as OfficeRnD (everything but the control API), by method,
// route (organisation slug and record ids folded) and status: how many calls a partner's sync makes
// (GET /_emulator/requests; DELETE clears).

export type RequestCount = { route: string; status: number; count: number };

/** "GET /api/v2/organizations/acme/members/6b0d…" → "GET /api/v2/organizations/:slug/members/:id". */
export function routeOf(method: string, pathname: string): string {
  const path = pathname
    .replace(/\/organizations\/[^/]+/, "/organizations/:slug")
    .replace(/\/[0-9a-f]{24}(?=\/|$)/g, "/:id");
  return `${method} ${path}`;
}

export class RequestLog {
  private readonly counts = new Map<string, RequestCount>();

  record(method: string, pathname: string, status: number): void {
    const route = routeOf(method, pathname);
    const key = `${route} ${status}`;
    const entry = this.counts.get(key);
    if (entry) entry.count++;
    else this.counts.set(key, { route, status, count: 1 });
  }

  /** Totals: all requests, API v1, API v2, the token endpoint; then each route and status. */
  view() {
    const routes = [...this.counts.values()].sort(
      (a, b) => a.route.localeCompare(b.route) || a.status - b.status,
    );
    const sum = (test: (entry: RequestCount) => boolean) =>
      routes.filter(test).reduce((total, entry) => total + entry.count, 0);
    return {
      total: sum(() => true),
      apiV1: sum((entry) => entry.route.includes(" /api/v1/")),
      apiV2: sum((entry) => entry.route.includes(" /api/v2/")),
      token: sum((entry) => entry.route.endsWith(" /oauth/token")),
      routes,
    };
  }

  clear(): number {
    const cleared = this.view().total;
    this.counts.clear();
    return cleared;
  }
}
