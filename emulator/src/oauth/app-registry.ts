import type { EmulatorContext } from "../context";
import { partnerUrls } from "../options";

// The one developer application registered with the emulator (spec §1: Settings → Developer Tools).

export const DEMO_APP = {
  clientId: "demo-partner-app",
  clientSecret: "demo-partner-secret",
  name: "Demo Partner App",
  /** The organisation that owns the application; client_credentials tokens are bound to it. */
  homeOrgSlug: "acme-coworking",
} as const;

/** The redirect URI registered for the application: the partner's Connect URL. */
export function registeredRedirectUri(context: EmulatorContext): string {
  return partnerUrls(context.config.partnerUrl).connect;
}
