"use server";
// Server actions of the configuration page (runInstallationAction: authorise, validate, run, refresh).
import { z } from "zod";
import { disconnectInstallation, type DisconnectResult } from "@/lib/configuration/disconnect";
import { runInstallationAction } from "@/lib/configuration/installation-action";
import { locationFormSchema } from "@/lib/configuration/location-form";
import { requestLocationSync, type SyncNowResult } from "@/lib/configuration/request-location-sync";
import {
  updateLocationSettings,
  type UpdateLocationResult,
} from "@/lib/configuration/update-location-settings";
import { previewFieldMapping, type MappingPreview } from "@/lib/configuration/preview-mapping";
import type { ActionResult, ActionState } from "@/lib/validated-action";

const locationIdSchema = z.string().min(1).max(100);
const disconnectSchema = z.object({
  confirm: z.literal("on", { error: "Tick the box to confirm that you want to disconnect." }),
});

export async function saveLocationSettings(
  installationId: string,
  locationId: string,
  _previous: ActionState<UpdateLocationResult>,
  formData: FormData,
): Promise<ActionResult<UpdateLocationResult>> {
  return runInstallationAction(
    {
      installationId,
      intent: "write",
      schema: locationFormSchema,
      handler: (form, viewer) =>
        updateLocationSettings({ viewer, locationId: locationIdSchema.parse(locationId), form }),
      refreshOnSuccess: true,
    },
    formData,
  );
}

export async function syncLocationNow(
  installationId: string,
  locationId: string,
  _previous: ActionState<SyncNowResult>,
  formData: FormData,
): Promise<ActionResult<SyncNowResult>> {
  return runInstallationAction(
    {
      installationId,
      intent: "write",
      schema: z.object({}),
      handler: (_input, viewer) =>
        requestLocationSync({ viewer, locationId: locationIdSchema.parse(locationId) }),
      refreshOnSuccess: true,
    },
    formData,
  );
}

export async function disconnect(
  installationId: string,
  _previous: ActionState<DisconnectResult>,
  formData: FormData,
): Promise<ActionResult<DisconnectResult>> {
  return runInstallationAction(
    {
      installationId,
      intent: "write",
      schema: disconnectSchema,
      handler: (_input, viewer) => disconnectInstallation({ viewer }),
      refreshOnSuccess: true,
    },
    formData,
  );
}

/**
 * Three real records of the location as we hold them and as the mapping in the form would make them.
 * Reads our copy only; the form's other fields are validated too, so their errors show as on Save.
 */
export async function previewMapping(
  installationId: string,
  locationId: string,
  formData: FormData,
): Promise<ActionResult<MappingPreview>> {
  return runInstallationAction(
    {
      installationId,
      intent: "read",
      schema: locationFormSchema,
      handler: (form, viewer) =>
        previewFieldMapping({
          viewer,
          locationId: locationIdSchema.parse(locationId),
          proposed: form.fieldMapping,
        }),
      refreshOnSuccess: false,
    },
    formData,
  );
}
