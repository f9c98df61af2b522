// GET /api/health – liveness: the process is up and serving (no dependency is checked here).
import { withErrors } from "@/lib/http/respond";

export const dynamic = "force-dynamic";

export const GET = withErrors("health", async () =>
  Response.json({ status: "ok", uptimeSeconds: Math.round(process.uptime()) }),
);
