import "server-only";
import { AppError, type ErrorAnswer } from "@/lib/errors";
import { answerFor, jsonError, observed } from "@/lib/http/pipeline";
import {
  chargeVerifiedTenant,
  checkPublicRateLimit,
  failedVerificationWait,
  RATE_LIMITED_MESSAGE,
  recordFailedVerification,
} from "@/lib/http/public-guards";
import { recordRefusedCall } from "@/lib/installations/refused-calls";
import {
  resolveSignedInstallation,
  type ResolveFailure,
  type SignedRequest,
} from "@/lib/installations/resolve-signed-installation";
import { forgetInstallation, StaleInstallation } from "@/lib/installations/signed-cache";
import { log } from "@/lib/log";
import { metrics } from "@/lib/metrics";
import { isQueryTooLong, rawQueryOf } from "@/lib/officernd/signed-query";

// The pipeline's wrapper for OfficeRnD's signed GETs (Healthcheck, Configuration, Sync): per-IP limit →
// raw query → size limit → resolve and verify → per-organisation limit → handler. Every refusal,
// including the rate limits, is answered through `renderError` (flat JSON by default).

export type SignedHandlerContext = { request: Request; signed: SignedRequest };
export type ErrorRenderer = (error: ErrorAnswer) => Response;
export type SignedRequestOptions = {
  /** How failures are answered; JSON by default. /configure renders a friendly HTML page instead. */
  renderError?: ErrorRenderer;
  /**
   * "fresh" (default): the request is verified against the installations as they are now. "cached":
   * against this process's copy of them (≤ 60 s old, lib/installations/signed-cache.ts), for routes
   * whose handler acts in one statement that confirms `signed.verifiedWith` and throws
   * StaleInstallation when the installation changed; the wrapper then resolves the request again from
   * fresh rows and runs the handler once more. Every route enters `signed.replayClaim` in the signature
   * ledger (lib/installations/replay.ts) in the statement or transaction that acts: the healthcheck
   * records it and answers a repeat anyway; the others claim it and refuse a signature any route has
   * seen before.
   */
  candidates?: "cached" | "fresh";
};

/** Attempts after a StaleInstallation (each from fresh rows) before answering 503. */
const MAX_STALE_RETRIES = 2;

/** Wraps a GET handler so it only ever runs for a verified request of a live installation. */
export function withSignedRequest(
  route: string,
  handler: (context: SignedHandlerContext) => Promise<Response>,
  options: SignedRequestOptions = {},
): (request: Request) => Promise<Response> {
  const renderError = options.renderError ?? jsonError;
  return observed(route, async (request: Request) => {
    try {
      // Per client IP only here: the organisation is charged once the signature has verified.
      const limited = checkPublicRateLimit(request.headers, undefined);
      if (limited) throw rateLimited(Number(limited.headers.get("Retry-After")));
      // Next runs GET handlers for HEAD too; a HEAD must not toggle sync or spend a one-time link.
      if (request.method !== "GET") throw methodError();
      // Failed verifications are limited per client IP (issue 12 item 2): over the limit, no work at all.
      const failureWait = failedVerificationWait(request.headers);
      if (failureWait !== undefined) throw rateLimited(failureWait);
      const rawQuery = rawQueryOf(request.url);
      if (isQueryTooLong(rawQuery)) {
        recordFailedVerification(request.headers);
        log.warn(
          { route, reason: "query_too_long", bytes: Buffer.byteLength(rawQuery) },
          "signed request rejected",
        );
        throw new AppError("uri_too_long", "The request's query string is too long.");
      }
      let resolved = await resolveSignedInstallation(rawQuery, { candidates: options.candidates });
      if (!resolved.ok) return await refuse({ request, route, rawQuery, failure: resolved });
      // Only a verified request may spend its organisation's budget: slugs are public.
      const tenantWait = chargeVerifiedTenant(resolved.installation.orgSlug);
      if (tenantWait !== undefined) throw rateLimited(tenantWait);
      for (let retries = 0; ; retries++) {
        const signed = { ...resolved, replayClaim: { ...resolved.replayClaim, route } };
        try {
          return await handler({ request, signed });
        } catch (error) {
          if (!(error instanceof StaleInstallation)) throw error;
          // Changed since it was read (here or by another instance): forget it and decide on fresh rows.
          forgetInstallation({ installationId: error.installationId, orgSlug: signed.installation.orgSlug });
          if (retries >= MAX_STALE_RETRIES)
            throw new AppError(
              "unavailable",
              "The installation is changing right now. Try again in a moment.",
              {
                headers: { "Retry-After": "1" },
              },
            );
          resolved = await resolveSignedInstallation(rawQuery);
          if (!resolved.ok) return await refuse({ request, route, rawQuery, failure: resolved });
        }
      }
    } catch (error) {
      return renderError(answerFor(error, route));
    }
  });
}

/**
 * POST/PUT/PATCH/DELETE of a signed route: 405 with `Allow: GET`, through the pipeline (request id,
 * security headers, metrics) and the route's own renderer.
 */
export function signedMethodNotAllowed(
  route: string,
  options: Pick<SignedRequestOptions, "renderError"> = {},
): (request?: Request) => Promise<Response> {
  const renderError = options.renderError ?? jsonError;
  return observed(route, async () => renderError(answerFor(methodError())));
}

/** A refused signed request: counted, logged with its precise reason, noted for the explainer, answered. */
async function refuse(input: {
  request: Request;
  route: string;
  rawQuery: string;
  failure: ResolveFailure;
}): Promise<never> {
  const { request, route, rawQuery, failure } = input;
  if (failure.code === "invalid_signature") recordFailedVerification(request.headers);
  // The precise reason stays in the log; the caller only sees the stable code.
  log.warn({ route, reason: failure.reason, slug: failure.slug }, "signed request rejected");
  metrics.signatureFailures.inc({ kind: "query", reason: failure.reason });
  // For the signature explainer (configuration page, dashboard, npm run signature:explain).
  await recordRefusedCall({
    route,
    rawQuery,
    reason: failure.reason,
    slug: failure.slug ?? new URLSearchParams(rawQuery).get("slug"),
  });
  throw new AppError(failure.code, failure.message);
}

function rateLimited(retryAfterSeconds: number): AppError {
  return new AppError("rate_limited", RATE_LIMITED_MESSAGE, {
    headers: { "Retry-After": String(retryAfterSeconds) },
  });
}

function methodError(): AppError {
  return new AppError("method_not_allowed", "OfficeRnD calls this URL with GET only.", {
    headers: { Allow: "GET" },
  });
}
