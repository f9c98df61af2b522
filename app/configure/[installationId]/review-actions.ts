"use server";
// Server actions of the mass-delete breaker panel and "Preview sync" (issue 13 part 2). Each authorises
// the current request for the installation it names (bound arguments come from the client, so they are
// checked, never trusted) and answers an ActionResult for useActionState.
import { refresh } from "next/cache";
import { z } from "zod";
import { authorizeCurrentRequest } from "@/lib/configuration/credentials";
import { runValidatedAction, type ActionResult, type ActionState } from "@/lib/validated-action";
import { resolveDeletionReview } from "@/lib/configuration/deletion-review";
import { previewSync, type SyncPreview } from "@/lib/configuration/preview-sync";

const idSchema = z.string().min(1).max(100);
const decisionSchema = z.object({
  decision: z.enum(["apply", "keep"], { error: "Choose Apply deletions or Keep records." }),
});
const noFields = z.object({});

export type ReviewResult = { decision: "apply" | "keep"; deleted: number; kept: number };

export async function resolveReview(
  installationId: string,
  runId: string,
  _previous: ActionState<ReviewResult>,
  formData: FormData,
): Promise<ActionResult<ReviewResult>> {
  const result = await runValidatedAction(
    {
      schema: decisionSchema,
      authorize: () => authorizeCurrentRequest(installationId, "write"),
      handler: async ({ decision }, viewer) => ({
        decision,
        ...(await resolveDeletionReview({ viewer, runId: idSchema.parse(runId), decision })),
      }),
    },
    formData,
  );
  if (result.ok) refresh();
  return result;
}

export async function previewLocationSync(
  installationId: string,
  locationId: string,
  _previous: ActionState<SyncPreview>,
  formData: FormData,
): Promise<ActionResult<SyncPreview>> {
  return runValidatedAction(
    {
      schema: noFields,
      // Writing nothing, but it reads the whole location from OfficeRnD: editors only.
      authorize: () => authorizeCurrentRequest(installationId, "write"),
      handler: (_input, viewer) => previewSync({ viewer, locationId: idSchema.parse(locationId) }),
    },
    formData,
  );
}
