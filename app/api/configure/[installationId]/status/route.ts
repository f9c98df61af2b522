// GET /api/configure/<installationId>/status – the configuration page's live state (status, counts, runs,
// webhook events, health), polled while the page is visible
import { authorizeCurrentRequest, parseConfigureAs } from "@/lib/configuration/credentials";
import { toLiveStatus } from "@/lib/configuration/live-status";
import { loadConfiguration } from "@/lib/configuration/load-configuration";
import { withErrors } from "@/lib/http/respond";

export const dynamic = "force-dynamic";

export const GET = withErrors(
  "configure.status",
  async (request: Request, { params }: { params: Promise<{ installationId: string }> }) => {
    const { installationId } = await params;
    // `?as=partner`: the page was opened from the dashboard, so it reads as the signed-in user (API routes
    // skip proxy.ts).
    const viewer = await authorizeCurrentRequest(
      installationId,
      "read",
      parseConfigureAs(new URL(request.url).searchParams.get("as")),
    );
    const now = new Date();
    const configuration = await loadConfiguration({ viewer, now });
    return Response.json(toLiveStatus(configuration, now), { headers: { "Cache-Control": "no-store" } });
  },
);
