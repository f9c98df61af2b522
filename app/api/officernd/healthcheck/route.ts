// GET /api/officernd/healthcheck – signed status probe from OfficeRnD: `{ accountName }` when connected
import { checkInstallationHealth } from "@/lib/installations/health";
import { methodNotAllowed, withSignedRequest } from "@/lib/officernd/signed-request";

export const dynamic = "force-dynamic";

/**
 * Its signature goes into the ledger first, so the same signed query can no longer open /configure or
 * toggle /api/officernd/sync (the signature covers no path); a repeated probe still answers.
 */
export const GET = withSignedRequest(
  "officernd-healthcheck",
  async ({ signed }) => {
    const { accountName } = await checkInstallationHealth(signed.installation);
    return Response.json({ accountName }, { headers: { "Cache-Control": "no-store" } });
  },
  { ledger: "record" },
);

export const POST = methodNotAllowed;
export const PUT = methodNotAllowed;
export const PATCH = methodNotAllowed;
export const DELETE = methodNotAllowed;
