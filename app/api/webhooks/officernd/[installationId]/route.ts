// POST /api/webhooks/officernd/<installationId> – signed webhook events from OfficeRnD (persisted, then
// processed by a job)
import { withErrors } from "@/lib/http/respond";
import { assertInstallationIdShape, receiveWebhook } from "@/lib/webhooks/receive";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ installationId: string }> };

export const POST = withErrors(
  "webhooks.officernd",
  async (request: Request, context: Context) => {
    const { installationId } = await context.params;
    assertInstallationIdShape(installationId);
    return receiveWebhook({ installationId, request });
  },
  { publicRateLimit: { tenant: (request) => new URL(request.url).pathname.split("/")[4] } },
);
