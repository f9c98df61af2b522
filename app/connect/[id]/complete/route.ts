// POST /connect/<id>/complete – the admin confirms (Connect) or cancels a pending connection
import { cookies } from "next/headers";
import { z } from "zod";
import { getSessionUser } from "@/lib/auth/session";
import { cancelConnection, completeConnection } from "@/lib/connect/complete-connection";
import { pendingExists } from "@/lib/connect/pending";
import { isSameOriginRequest } from "@/lib/connect/same-origin";
import { STATE_COOKIE, stateCookiePath } from "@/lib/connect/state";
import { clearedCookie } from "@/lib/cookies";
import { env } from "@/lib/env";
import { errorResponse } from "@/lib/errors";
import { redirectTo, withRedirects } from "@/lib/http/redirect-route";
import { log } from "@/lib/log";
import { readBodyWithLimit } from "@/lib/webhooks/read-body";

export const dynamic = "force-dynamic";

/** The confirmation form is two short fields; anything larger is not ours. */
const MAX_FORM_BYTES = 16 * 1024;

const formSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("connect"), accountId: z.uuid() }),
  z.object({ intent: z.literal("cancel") }),
]);

type Context = { params: Promise<{ id: string }> };

export const POST = withRedirects(
  "connect.complete",
  async (request: Request, { params }: Context) => {
    const { id } = await params;
    const appUrl = env().APP_URL;
    const page = `${appUrl}/connect/${encodeURIComponent(id)}`;
    if (!isSameOriginRequest(request.headers, appUrl)) {
      log.warn({ pendingId: id, reason: "cross_site" }, "connect form refused");
      return new Response("Cross-site form submissions are refused.", {
        status: 403,
        headers: { "Cache-Control": "no-store" },
      });
    }
    // Nothing is read from the body before the id is known to exist.
    if (!(await pendingExists(id))) return errorResponse("not_found", "No such connection request.");
    const body = await readBodyWithLimit(request, MAX_FORM_BYTES);
    if (!body.ok) return errorResponse("payload_too_large", "The form is larger than 16 KiB.");
    const form = formSchema.safeParse(
      Object.fromEntries(new URLSearchParams(new TextDecoder().decode(body.bytes))),
    );
    // A malformed form changes nothing: back to the page, which still shows the confirmation.
    if (!form.success) return redirectTo(page, 303);
    const state = (await cookies()).get(STATE_COOKIE)?.value;
    const clearState = { "Set-Cookie": clearedCookie(STATE_COOKIE, stateCookiePath(id)) };
    if (form.data.intent === "cancel") {
      const cancelled = await cancelConnection({ pendingId: id, state });
      // Cancelling returns to OfficeRnD at once, as a success does; anything else shows why on the page.
      return cancelled.reason === "cancelled"
        ? redirectTo(cancelled.returnUrl, 302, clearState)
        : redirectTo(page, 303);
    }
    const user = await getSessionUser();
    if (!user) return redirectTo(page, 303);
    const result = await completeConnection({
      pendingId: id,
      state,
      userId: user.id,
      accountId: form.data.accountId,
    });
    if (!result.ok) return redirectTo(page, 303);
    // OfficeRnD's return page closes the popup (spec §2 step 5); the state cookie has done its job.
    return redirectTo(result.returnUrl, 302, clearState);
  },
  // Unexpected (already logged): the popup says so, as Connect itself does.
  { renderError: () => redirectTo(`${env().APP_URL}/connect/failed?reason=internal`, 303) },
);
