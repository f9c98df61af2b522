import { registerAdminRoutes } from "./admin/admin-routes";
import { registerV1Routes } from "./api/v1-routes";
import { registerV2RecordRoutes } from "./api/v2-records";
import { registerV2WebhookRoutes } from "./api/v2-webhooks";
import type { EmulatorContext } from "./context";
import { registerControlDataRoutes } from "./control/control-data-routes";
import { registerControlRoutes } from "./control/control-routes";
import { Router } from "./http/router";
import { handleTokenRequest } from "./oauth/token-endpoint";

/** Every route the emulator serves: identity, API v1/v2, admin UI and the test control API. */
export function buildRouter(): Router<EmulatorContext> {
  const router = new Router<EmulatorContext>();
  router.on("POST", "/oauth/token", handleTokenRequest);
  registerV1Routes(router);
  registerV2RecordRoutes(router);
  registerV2WebhookRoutes(router);
  registerAdminRoutes(router);
  registerControlRoutes(router);
  registerControlDataRoutes(router);
  return router;
}
