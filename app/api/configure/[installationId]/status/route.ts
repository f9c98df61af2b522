// GET /api/configure/<installationId>/status – the configuration page's live state (status, counts, runs, webhook events, health), polled while the page is visible
import { authorizeCurrentRequest } from "@/lib/configuration/credentials";
import { toLiveStatus } from "@/lib/configuration/live-status";
import { loadConfiguration } from "@/lib/configuration/load-configuration";
import { withErrors } from "@/lib/http/respond";

export const dynamic = "force-dynamic";

export const GET = withErrors("configure.status", async (_request: Request, { params }: { params: Promise<{ installationId: string }> }) => {
  const { installationId } = await params;
  const viewer = await authorizeCurrentRequest(installationId, "read");
  const now = new Date();
  const configuration = await loadConfiguration({ viewer, now });
  return Response.json(toLiveStatus(configuration, now), { headers: { "Cache-Control": "no-store" } });
});
