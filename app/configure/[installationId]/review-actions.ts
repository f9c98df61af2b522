"use server";
// Server actions of the mass-delete breaker panel and "Preview sync" (issue 13 part 2).
import { z } from "zod";
import { runInstallationAction } from "@/lib/configuration/installation-action";
import type { ActionResult, ActionState } from "@/lib/validated-action";
import { resolveDeletionReview } from "@/lib/configuration/deletion-review";
import { previewSync, type SyncPreview } from "@/lib/configuration/preview-sync";

const idSchema = z.string().min(1).max(100);
const decisionSchema = z.object({
  decision: z.enum(["apply", "keep"], { error: "Choose Apply deletions or Keep records." }),
});

export type ReviewResult = { decision: "apply" | "keep"; deleted: number; kept: number };

export async function resolveReview(
  installationId: string,
  runId: string,
  _previous: ActionState<ReviewResult>,
  formData: FormData,
): Promise<ActionResult<ReviewResult>> {
  return runInstallationAction(
    {
      installationId,
      intent: "write",
      schema: decisionSchema,
      handler: async ({ decision }, viewer) => ({
        decision,
        ...(await resolveDeletionReview({ viewer, runId: idSchema.parse(runId), decision })),
      }),
      refreshOnSuccess: true,
    },
    formData,
  );
}

export async function previewLocationSync(
  installationId: string,
  locationId: string,
  _previous: ActionState<SyncPreview>,
  formData: FormData,
): Promise<ActionResult<SyncPreview>> {
  return runInstallationAction(
    {
      installationId,
      // Writing nothing, but it reads the whole location from OfficeRnD: editors only.
      intent: "write",
      schema: z.object({}),
      handler: (_input, viewer) => previewSync({ viewer, locationId: idSchema.parse(locationId) }),
      refreshOnSuccess: false,
    },
    formData,
  );
}
