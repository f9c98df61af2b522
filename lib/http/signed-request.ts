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
import { recordSignature } from "@/lib/installations/replay";
import {
  resolveSignedInstallation,
  type SignedRequest,
} from "@/lib/installations/resolve-signed-installation";
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
   * The signature ledger (lib/installations/replay.ts). "record": the wrapper enters the signature
   * before the handler runs and the route answers a repeat anyway (the healthcheck). "claim" (default):
   * the handler claims `signed.replayClaim` in the transaction that acts, and refuses a signature any
   * route has seen before.
   */
  ledger?: "record" | "claim";
};

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
      const resolved = await resolveSignedInstallation(rawQuery);
      if (!resolved.ok) {
        if (resolved.code === "invalid_signature") recordFailedVerification(request.headers);
        // The precise reason stays in the log; the caller only sees the stable code.
        log.warn({ route, reason: resolved.reason, slug: resolved.slug }, "signed request rejected");
        metrics.signatureFailures.inc({ kind: "query", reason: resolved.reason });
        // For the signature explainer (configuration page, dashboard, npm run signature:explain).
        await recordRefusedCall({
          route,
          rawQuery,
          reason: resolved.reason,
          slug: resolved.slug ?? new URLSearchParams(rawQuery).get("slug"),
        });
        throw new AppError(resolved.code, resolved.message);
      }
      // Only a verified request may spend its organisation's budget: slugs are public.
      const tenantWait = chargeVerifiedTenant(resolved.installation.orgSlug);
      if (tenantWait !== undefined) throw rateLimited(tenantWait);
      const signed = { ...resolved, replayClaim: { ...resolved.replayClaim, route } };
      if (options.ledger === "record") await recordSignature(signed.replayClaim);
      return await handler({ request, signed });
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
