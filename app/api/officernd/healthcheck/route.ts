// GET /api/officernd/healthcheck – signed status probe from OfficeRnD: `{ accountName }` when connected
import { checkInstallationHealth } from "@/lib/installations/health";
import { methodNotAllowed, withSignedRequest } from "@/lib/officernd/signed-request";

export const dynamic = "force-dynamic";

export const GET = withSignedRequest("officernd-healthcheck", async ({ signed }) => {
  const { accountName } = await checkInstallationHealth(signed.installation);
  return Response.json({ accountName }, { headers: { "Cache-Control": "no-store" } });
});

export const POST = methodNotAllowed;
export const PUT = methodNotAllowed;
export const PATCH = methodNotAllowed;
export const DELETE = methodNotAllowed;
