// GET /api/officernd/healthcheck – signed status probe from OfficeRnD: `{ accountName }` when connected,
// otherwise `{ error, message, action }` (lib/installations/diagnosis-table.ts)
import { signedMethodNotAllowed, withSignedRequest } from "@/lib/http/signed-request";
import { healthcheckAnswer, healthcheckError } from "@/lib/installations/diagnosis";

export const dynamic = "force-dynamic";

/**
 * Its signature goes into the ledger (in the answer's one statement), so the same signed query can no
 * longer open /configure or toggle /api/officernd/sync (the signature covers no path); a repeated probe
 * still answers.
 */
export const GET = withSignedRequest(
  "officernd-healthcheck",
  async ({ signed }) => healthcheckAnswer(signed),
  {
    candidates: "cached",
    renderError: healthcheckError,
  },
);

const notAllowed = signedMethodNotAllowed("officernd-healthcheck", { renderError: healthcheckError });
export const POST = notAllowed;
export const PUT = notAllowed;
export const PATCH = notAllowed;
export const DELETE = notAllowed;
