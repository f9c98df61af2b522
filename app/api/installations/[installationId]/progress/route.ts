// GET /api/installations/<installationId>/progress?locationId=… – the newest sync run of a location, polled
// by the configuration page's progress bar
import { z } from "zod";
import { authorizeCurrentRequest } from "@/lib/configuration/credentials";
import { readLocationProgress } from "@/lib/configuration/read-location-progress";
import { withErrors } from "@/lib/http/respond";

export const dynamic = "force-dynamic";

const querySchema = z.object({ locationId: z.string().min(1).max(100) });

export const GET = withErrors(
  "installations.progress",
  async (request: Request, { params }: { params: Promise<{ installationId: string }> }) => {
    const { installationId } = await params;
    // Authorise before reading the query: a caller without access learns nothing else.
    await authorizeCurrentRequest(installationId, "read");
    const { locationId } = querySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
    const progress = await readLocationProgress({ installationId, locationId });
    return Response.json({ progress }, { headers: { "Cache-Control": "no-store" } });
  },
);
