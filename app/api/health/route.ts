// GET /api/health – liveness: the process is up and serving (no dependency is checked here).
import { observed } from "@/lib/http/respond";

export const dynamic = "force-dynamic";

export const GET = observed("health", async () => Response.json({ status: "ok", uptimeSeconds: Math.round(process.uptime()) }));
