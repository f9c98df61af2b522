"use server";
// Server actions behind the diagnosis banner's one-click fixes: authorise the current request to
// change the installation it names (a bound argument from the client, so checked), then fix.
import { refresh } from "next/cache";
import { z } from "zod";
import { authorizeCurrentRequest } from "@/lib/configuration/credentials";
import { runValidatedAction, type ActionResult, type ActionState } from "@/lib/validated-action";
import { recreateWebhooksFix, retrySync, type FixResult } from "@/lib/configuration/diagnosis-fixes";

const noFields = z.object({});

export async function retrySyncAction(
  installationId: string,
  _previous: ActionState<FixResult>,
  formData: FormData,
): Promise<ActionResult<FixResult>> {
  const result = await runValidatedAction(
    {
      schema: noFields,
      authorize: () => authorizeCurrentRequest(installationId, "write"),
      handler: (_input, viewer) => retrySync({ viewer }),
    },
    formData,
  );
  if (result.ok) refresh();
  return result;
}

export async function recreateWebhooksAction(
  installationId: string,
  _previous: ActionState<FixResult>,
  formData: FormData,
): Promise<ActionResult<FixResult>> {
  const result = await runValidatedAction(
    {
      schema: noFields,
      authorize: () => authorizeCurrentRequest(installationId, "write"),
      handler: (_input, viewer) => recreateWebhooksFix({ viewer }),
    },
    formData,
  );
  if (result.ok) refresh();
  return result;
}
