import "server-only";
import { env } from "@/lib/env";
import { ConnectFailure } from "@/lib/connect/failures";
import { checkRegionUrl } from "@/lib/connect/region-url";

/** The organisation's region URL when it is OfficeRnD's; otherwise Connect stops (`region_untrusted`). */
export function trustedRegionUrl(regionUrl: string): string {
  const config = env();
  const check = checkRegionUrl(regionUrl, {
    officerndAppUrl: config.OFFICERND_APP_URL,
    regionHosts: config.OFFICERND_REGION_HOSTS,
  });
  if (!check.ok)
    throw new ConnectFailure("region_untrusted", `regionInfo.regionUrl refused: ${check.problem}`);
  return check.regionUrl;
}
