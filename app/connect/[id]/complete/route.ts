// POST /connect/<id>/complete – the admin confirms (Connect) or cancels a pending connection
import { cookies } from "next/headers";
import { z } from "zod";
import { getSessionUser } from "@/lib/auth/session";
import { cancelConnection, completeConnection } from "@/lib/connect/complete-connection";
import { isSameOriginRequest } from "@/lib/connect/same-origin";
import { STATE_COOKIE, stateCookiePath } from "@/lib/connect/state";
import { env } from "@/lib/env";
import { log } from "@/lib/log";

export const dynamic = "force-dynamic";

const formSchema = z.discriminatedUnion("intent", [z.object({ intent: z.literal("connect"), accountId: z.uuid() }), z.object({ intent: z.literal("cancel") })]);

type Context = { params: Promise<{ id: string }> };

export async function POST(request: Request, { params }: Context): Promise<Response> {
  const { id } = await params;
  const appUrl = env().APP_URL;
  const page = `${appUrl}/connect/${encodeURIComponent(id)}`;
  if (!isSameOriginRequest(request.headers, appUrl)) {
    log.warn({ pendingId: id, reason: "cross_site" }, "connect form refused");
    return new Response("Cross-site form submissions are refused.", { status: 403, headers: { "Cache-Control": "no-store" } });
  }
  const form = formSchema.safeParse(Object.fromEntries(await request.formData()));
  // A malformed form changes nothing: back to the page, which still shows the confirmation.
  if (!form.success) return redirect(page, 303);
  const state = (await cookies()).get(STATE_COOKIE)?.value;
  if (form.data.intent === "cancel") {
    await cancelConnection({ pendingId: id, state });
    return redirect(page, 303);
  }
  const user = await getSessionUser();
  if (!user) return redirect(page, 303);
  const result = await completeConnection({ pendingId: id, state, userId: user.id, accountId: form.data.accountId });
  if (!result.ok) return redirect(page, 303);
  // OfficeRnD's return page closes the popup (spec §2 step 5); the state cookie has done its job.
  return redirect(result.returnUrl, 302, { "Set-Cookie": `${STATE_COOKIE}=; Path=${stateCookiePath(id)}; Max-Age=0; HttpOnly; SameSite=Lax` });
}

function redirect(location: string, status: 302 | 303, headers: Record<string, string> = {}): Response {
  return new Response(null, { status, headers: { Location: location, "Cache-Control": "no-store", ...headers } });
}
