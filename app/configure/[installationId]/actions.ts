"use server";
// Server actions of the configuration page. Each authorises the current request for the installation
// it names (bound arguments come from the client, so they are checked, never trusted), validates its
// form with zod, and answers an ActionResult for useActionState.
import { refresh } from "next/cache";
import { z } from "zod";
import { authorizeCurrentRequest } from "@/lib/configuration/credentials";
import { disconnectInstallation, type DisconnectResult } from "@/lib/configuration/disconnect";
import { locationFormSchema } from "@/lib/configuration/location-form";
import { requestLocationSync, type SyncNowResult } from "@/lib/configuration/request-location-sync";
import {
  updateLocationSettings,
  type UpdateLocationResult,
} from "@/lib/configuration/update-location-settings";
import { previewFieldMapping, type MappingPreview } from "@/lib/configuration/preview-mapping";
import { runValidatedAction, type ActionResult, type ActionState } from "@/lib/validated-action";

const locationIdSchema = z.string().min(1).max(100);
const noFields = z.object({});
const disconnectSchema = z.object({
  confirm: z.literal("on", { error: "Tick the box to confirm that you want to disconnect." }),
});

export async function saveLocationSettings(
  installationId: string,
  locationId: string,
  _previous: ActionState<UpdateLocationResult>,
  formData: FormData,
): Promise<ActionResult<UpdateLocationResult>> {
  const result = await runValidatedAction(
    {
      schema: locationFormSchema,
      authorize: () => authorizeCurrentRequest(installationId, "write"),
      handler: (form, viewer) =>
        updateLocationSettings({ viewer, locationId: locationIdSchema.parse(locationId), form }),
    },
    formData,
  );
  if (result.ok) refresh();
  return result;
}

export async function syncLocationNow(
  installationId: string,
  locationId: string,
  _previous: ActionState<SyncNowResult>,
  formData: FormData,
): Promise<ActionResult<SyncNowResult>> {
  const result = await runValidatedAction(
    {
      schema: noFields,
      authorize: () => authorizeCurrentRequest(installationId, "write"),
      handler: (_input, viewer) =>
        requestLocationSync({ viewer, locationId: locationIdSchema.parse(locationId) }),
    },
    formData,
  );
  if (result.ok) refresh();
  return result;
}

export async function disconnect(
  installationId: string,
  _previous: ActionState<DisconnectResult>,
  formData: FormData,
): Promise<ActionResult<DisconnectResult>> {
  const result = await runValidatedAction(
    {
      schema: disconnectSchema,
      authorize: () => authorizeCurrentRequest(installationId, "write"),
      handler: (_input, viewer) => disconnectInstallation({ viewer }),
    },
    formData,
  );
  if (result.ok) refresh();
  return result;
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
  return runValidatedAction(
    {
      schema: locationFormSchema,
      authorize: () => authorizeCurrentRequest(installationId, "read"),
      handler: (form, viewer) =>
        previewFieldMapping({
          viewer,
          locationId: locationIdSchema.parse(locationId),
          proposed: form.fieldMapping,
        }),
    },
    formData,
  );
}
