// GET /api/ready – readiness: database reachable, migrations applied, a worker seen in the last minute
import { checkReadiness } from "@/lib/ops/readiness";
import { withErrors } from "@/lib/http/respond";

export const dynamic = "force-dynamic";

export const GET = withErrors("ready", async () => {
  const checks = await checkReadiness();
  const isReady = checks.every((check) => check.isOk);
  return Response.json({ status: isReady ? "ready" : "not_ready", checks }, { status: isReady ? 200 : 503, headers: { "Cache-Control": "no-store" } });
});
