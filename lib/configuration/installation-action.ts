import "server-only";
import { refresh } from "next/cache";
import type { z } from "zod";
import { authorizeCurrentRequest } from "@/lib/configuration/credentials";
import type { ConfigureIntent, ConfigureViewer } from "@/lib/configuration/access";
import { runValidatedAction, type ActionResult } from "@/lib/validated-action";

// The configuration page's server actions name their installation in a bound argument, which comes from
// the client: so each is authorised for the current request before its form is read.
export async function runInstallationAction<S extends z.ZodType, T>(
  options: {
    installationId: string;
    intent: ConfigureIntent;
    schema: S;
    handler: (input: z.output<S>, viewer: ConfigureViewer) => Promise<T>;
    /** Re-render the page after a success (off for previews, which change nothing). */
    refreshOnSuccess: boolean;
  },
  formData: FormData,
): Promise<ActionResult<T>> {
  const result = await runValidatedAction(
    {
      schema: options.schema,
      authorize: () => authorizeCurrentRequest(options.installationId, options.intent),
      handler: options.handler,
    },
    formData,
  );
  if (options.refreshOnSuccess && result.ok) refresh();
  return result;
}
