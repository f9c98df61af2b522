// GET /api/metrics – Prometheus metrics; bearer-token protected when METRICS_TOKEN is set
import { timingSafeEqual } from "node:crypto";
import { env } from "@/lib/env";
import { errorResponse } from "@/lib/errors";
import { withErrors } from "@/lib/http/respond";
import { metrics } from "@/lib/metrics";

export const dynamic = "force-dynamic";

function isAuthorised(request: Request): boolean {
  const expected = env().METRICS_TOKEN;
  if (!expected) return true;
  const given = Buffer.from(request.headers.get("authorization") ?? "");
  const wanted = Buffer.from(`Bearer ${expected}`);
  return given.length === wanted.length && timingSafeEqual(given, wanted);
}

export const GET = withErrors("metrics", async (request: Request): Promise<Response> => {
  if (!isAuthorised(request))
    return errorResponse("unauthorized", "A valid metrics bearer token is required.", {
      "WWW-Authenticate": "Bearer",
    });
  try {
    return new Response(await metrics.registry.metrics(), {
      headers: { "Content-Type": metrics.registry.contentType, "Cache-Control": "no-store" },
    });
  } catch {
    return errorResponse("unavailable", "Metrics are unavailable while the database is unreachable.");
  }
});
