// GET /api/health – liveness: the process is up and serving (no dependency is checked here).
export const dynamic = "force-dynamic";

export function GET(): Response {
  return Response.json({ status: "ok", uptimeSeconds: Math.round(process.uptime()) });
}
