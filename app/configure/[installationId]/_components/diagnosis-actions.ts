"use server";
// The diagnosis banner's one-click fixes.
import { z } from "zod";
import { runInstallationAction } from "@/lib/configuration/installation-action";
import type { ActionResult, ActionState } from "@/lib/validated-action";
import { recreateWebhooksFix, retrySync, type FixResult } from "@/lib/configuration/diagnosis-fixes";
import type { ConfigureViewer } from "@/lib/configuration/access";

export async function retrySyncAction(
  installationId: string,
  _previous: ActionState<FixResult>,
  formData: FormData,
): Promise<ActionResult<FixResult>> {
  return runFix(installationId, retrySync, formData);
}

export async function recreateWebhooksAction(
  installationId: string,
  _previous: ActionState<FixResult>,
  formData: FormData,
): Promise<ActionResult<FixResult>> {
  return runFix(installationId, recreateWebhooksFix, formData);
}

async function runFix(
  installationId: string,
  fix: (options: { viewer: ConfigureViewer }) => Promise<FixResult>,
  formData: FormData,
): Promise<ActionResult<FixResult>> {
  return runInstallationAction(
    {
      installationId,
      intent: "write",
      schema: z.object({}),
      handler: (_input, viewer) => fix({ viewer }),
      refreshOnSuccess: true,
    },
    formData,
  );
}
