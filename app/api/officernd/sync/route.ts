// GET /api/officernd/sync – OfficeRnD's Sync URL: turns synchronisation on or off for the installation
import { AppError } from "@/lib/errors";
import { setSyncEnabled } from "@/lib/installations/set-sync-enabled";
import { parseSyncIntent } from "@/lib/officernd/signed-query";
import { signedMethodNotAllowed, withSignedRequest } from "@/lib/http/signed-request";

export const dynamic = "force-dynamic";

/**
 * `enabled=true|false` (or `sync=on|off`) sets the state, neither toggles it. A replayed URL is not an
 * error: OfficeRnD may retry a call whose answer it lost, and a 409 would read as a failure although
 * the change was applied. So a replay answers 200 with the current state and changes nothing.
 */
export const GET = withSignedRequest(
  "officernd-sync",
  async ({ signed }) => {
    const parsed = parseSyncIntent(signed.params);
    if (!parsed.ok) throw new AppError("invalid_query", parsed.message);
    const { installation } = signed;
    const result = await setSyncEnabled({
      installationId: installation.id,
      intent: parsed.intent,
      actor: `officernd-admin:${installation.id}`,
      replayClaim: signed.replayClaim,
      verifiedWith: signed.verifiedWith,
      trigger: "officernd-sync-url",
      auditDetails: { memberId: signed.memberId },
    });
    const body = {
      syncEnabled: result.syncEnabled,
      accountName: result.accountName,
      ...(result.replayed ? { replayed: true } : {}),
    };
    return Response.json(body, { headers: { "Cache-Control": "no-store" } });
  },
  { candidates: "cached" },
);

const notAllowed = signedMethodNotAllowed("officernd-sync");
export const POST = notAllowed;
export const PUT = notAllowed;
export const PATCH = notAllowed;
export const DELETE = notAllowed;
