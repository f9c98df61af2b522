import { profile, type EmulatorContext } from "../context";
import type { Organization } from "../data/dataset";
import { partnerUrls } from "../options";
import { buildSignedUrl } from "../signing/signed-url";
import type { Integration } from "./integration-store";
import { applyProfileLocationEdit } from "./lifecycle";

export type SignedTarget = "healthcheck" | "configure" | "sync";

export type SignedCallInput = {
  integration: Integration;
  organization: Organization;
  target: SignedTarget;
  /** Sync only: the `enabled=true|false` parameter (default true). */
  enabled?: boolean;
  /** A string is sent as `memberId`; null omits it; undefined sends the admin's id on Configure only. */
  memberId?: string | null;
  /** Seconds added to the signing timestamp, to test the partner's tolerance. */
  timestampOffset?: number;
  /** Wrap organizationId in literal quotes (spec §6.3); defaults to on for Sync per config. */
  quoteOrganizationId?: boolean;
};

export type SignedCallResult = {
  url: string;
  status: number | null;
  body: unknown;
  durationMs: number;
  error?: string;
};

const CALL_TIMEOUT_MS = 10_000;

/**
 * The signed partner URL for a target. Parameters go in OfficeRnD's order `slug, locations,
 * organizationId, memberId` (spec §2, verified against a real request), then Sync's `enabled`, then
 * `signature`; `locations` is comma-separated ids, "" for an all-locations integration.
 */
export function signedPartnerUrl(context: EmulatorContext, input: SignedCallInput): string {
  const { integration, organization, target } = input;
  const behaviour = profile(context);
  applyProfileLocationEdit(context, { integration, organization });
  const shouldQuote =
    input.quoteOrganizationId ?? (target === "sync" && context.config.quoteSyncOrganizationId);
  const memberId =
    input.memberId === undefined
      ? target === "configure"
        ? organization.adminUserId
        : null
      : input.memberId;
  const params: Array<[string, string]> = [
    ["slug", organization.slug],
    ["locations", integration.locations.join(behaviour.locationSeparator)],
    ["organizationId", shouldQuote ? `"${organization._id}"` : organization._id],
  ];
  let signedParams: Array<[string, string]> = params;
  if (behaviour.sparseSignedCalls) {
    // `sparse`: memberId is sent empty but signed without it (the official sample drops a falsy
    // memberId before verifying, "the server may not send"), and a userId rides along, signed.
    params.push(["memberId", input.memberId ?? ""], ["userId", organization.adminUserId]);
    signedParams = params.filter(([name, value]) => !(name === "memberId" && value === ""));
  } else if (memberId) params.push(["memberId", memberId]);
  if (target === "sync") {
    params.push(["enabled", String(input.enabled ?? true)]);
    if (signedParams !== params) signedParams.push(["enabled", String(input.enabled ?? true)]);
  }
  const timestamp = context.clock.signingSeconds() + (input.timestampOffset ?? 0);
  return buildSignedUrl({
    baseUrl: partnerUrls(context.config.partnerUrl)[target],
    params,
    signedParams,
    secret: integration.secret,
    timestamp,
  });
}

function parseBody(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** Makes the signed GET from the emulator's server, as OfficeRnD does for Healthcheck and Sync. */
export async function performSignedCall(
  context: EmulatorContext,
  input: SignedCallInput,
): Promise<SignedCallResult> {
  const url = signedPartnerUrl(context, input);
  const startedMs = performance.now();
  try {
    const response = await fetch(url, {
      redirect: "manual",
      signal: AbortSignal.timeout(CALL_TIMEOUT_MS),
      headers: { accept: "application/json" },
    });
    const body = parseBody(await response.text());
    const isOk = response.status >= 200 && response.status < 300;
    if (input.target === "sync" && isOk) input.integration.syncEnabled = input.enabled ?? true;
    return { url, status: response.status, body, durationMs: Math.round(performance.now() - startedMs) };
  } catch (error) {
    const message =
      error instanceof Error
        ? error.cause instanceof Error
          ? error.cause.message
          : error.message
        : String(error);
    return {
      url,
      status: null,
      body: null,
      durationMs: Math.round(performance.now() - startedMs),
      error: message,
    };
  }
}
