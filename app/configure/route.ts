// GET /configure – OfficeRnD's Configuration URL: signed link → one-time exchange → session → 303
import { createConfigureSession } from "@/lib/auth/configure-session";
import { signedMethodNotAllowed, withSignedRequest } from "@/lib/http/signed-request";
import { renderLinkErrorPage } from "./_components/link-error-page";

export const dynamic = "force-dynamic";

/**
 * The signed link is spent here and swapped for a cookie; the 303 takes the signature out of the
 * address bar, so a reload of the configuration screen does not present the link again.
 */
export const GET = withSignedRequest(
  "configure",
  async ({ signed }) => {
    const { installation } = signed;
    const session = await createConfigureSession(installation.id, {
      replayClaim: signed.replayClaim,
      memberId: signed.memberId,
    });
    return new Response(null, {
      status: 303,
      headers: {
        Location: `/configure/${encodeURIComponent(installation.id)}`,
        "Set-Cookie": session.setCookie,
        "Cache-Control": "no-store",
      },
    });
  },
  { renderError: renderLinkErrorPage },
);

const notAllowed = signedMethodNotAllowed("configure");
export const POST = notAllowed;
export const PUT = notAllowed;
export const PATCH = notAllowed;
export const DELETE = notAllowed;
