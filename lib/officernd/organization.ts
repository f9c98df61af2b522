import "server-only";
import { z } from "zod";
import { env } from "@/lib/env";
import { log } from "@/lib/log";
import { refusalOf } from "@/lib/officernd/api-generation";
import { createRequestBudget } from "@/lib/officernd/request-budget";
import { createTransport, type TransportDeps } from "@/lib/officernd/transport";

// The organisation and its region (spec §2 step 2): `GET {OFFICERND_APP_URL}/api/v1/organizations/{slug}`
// → `{_id, name, regionInfo: {regionUrl}}` (official sample). From then on every call goes to regionUrl.
// A v2 equivalent is unconfirmed: when v1 refuses the token (flex scopes only), v2's is asked, and
// without a regionInfo the organisation is taken to live at OFFICERND_APP_URL.

export type Organization = { id: string; name: string; regionUrl: string };

const organizationSchema = z.looseObject({
  _id: z.string().min(1),
  name: z.string().min(1),
  regionInfo: z.looseObject({ regionUrl: z.url({ protocol: /^https?$/ }) }).nullish(),
});

export async function getOrganization({
  slug,
  accessToken,
  deps = {},
}: {
  slug: string;
  accessToken: string;
  deps?: TransportDeps;
}): Promise<Organization> {
  const appUrl = env().OFFICERND_APP_URL;
  const transport = createTransport(
    { accessToken },
    {
      ...deps,
      budget:
        deps.budget === undefined
          ? createRequestBudget({ orgSlug: slug, perMinute: env().OFFICERND_API_REQUESTS_PER_MINUTE })
          : deps.budget,
    },
  );
  const read = async (generation: "v1" | "v2") => {
    const { data } = await transport.sendParsed(
      { method: "GET", url: `${appUrl}/api/${generation}/organizations/${encodeURIComponent(slug)}` },
      organizationSchema,
    );
    return {
      id: data._id,
      name: data.name,
      regionUrl: (data.regionInfo?.regionUrl ?? appUrl).replace(/\/+$/, ""),
    };
  };
  try {
    return await read("v1");
  } catch (error) {
    const refusal = refusalOf(error);
    if (!refusal) throw error;
    log.info(
      { orgSlug: slug, refusal: refusal.replace("API v2", "API v1") },
      "officernd organisation lookup refused by v1; asking v2",
    );
    return read("v2");
  }
}
