// GET /api/ready – readiness: database reachable, migrations applied, a worker seen in the last minute
import { clientIp } from "@/lib/auth/throttle";
import { errorResponse } from "@/lib/errors";
import { FixedWindowLimiter } from "@/lib/net/fixed-window-limiter";
import { withErrors } from "@/lib/http/respond";
import { checkReadiness, type ReadinessCheck } from "@/lib/ops/readiness";

export const dynamic = "force-dynamic";

// Each check runs three queries. Probes come from a few load balancers every few seconds, so 60 a
// minute per address is plenty for them, and a flood shares one check per second.
const READY_PER_IP_PER_MINUTE = 60;
const CHECK_REUSE_MS = 1000;
const limiter = new FixedWindowLimiter({ limit: READY_PER_IP_PER_MINUTE, windowMs: 60_000, maxKeys: 10_000 });
let latest: { startedAt: number; checks: Promise<ReadinessCheck[]> } | undefined;

function sharedReadiness(): Promise<ReadinessCheck[]> {
  const now = Date.now();
  if (!latest || now - latest.startedAt >= CHECK_REUSE_MS) {
    const checks = checkReadiness();
    latest = { startedAt: now, checks };
    // A failed check is not reused.
    checks.catch(() => {
      if (latest?.checks === checks) latest = undefined;
    });
  }
  return latest.checks;
}

export const GET = withErrors("ready", async (request: Request) => {
  const decision = limiter.hit(clientIp(request.headers) ?? "unknown");
  if (!decision.isAllowed) {
    return errorResponse(
      "rate_limited",
      "Too many readiness probes. Please retry after the time in Retry-After.",
      {
        "Retry-After": String(decision.retryAfterSeconds),
      },
    );
  }
  const checks = await sharedReadiness();
  const isReady = checks.every((check) => check.isOk);
  return Response.json(
    { status: isReady ? "ready" : "not_ready", checks },
    { status: isReady ? 200 : 503, headers: { "Cache-Control": "no-store" } },
  );
});
