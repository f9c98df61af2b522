import { createHash, timingSafeEqual } from "node:crypto";
import {
  canonicalQueryJson,
  parseSignatureHeader,
  SIGNATURE_PARAM,
  signedParamVariants,
  signedQueryDigest,
  type QueryParam,
  type VerifyOptions,
} from "@/lib/officernd/signature";

// Why a signed GET was refused, for the people who run the integration (issue 13 part 1): pure, with
// an injected clock. It retraces what lib/officernd/signature.ts checks and also tries the mistakes a
// sender plausibly makes (another parameter order, locations spacing, an older secret), which are
// never accepted: they only name the likely cause. Nothing here returns a secret or a usable digest.

export type DiagnosisCandidate = { installationId: string; secret: string; isCurrent: boolean };

/** A known way the received query and the signature could have been made to fit. */
export type NearMiss =
  "as-received" | "empty-dropped" | "parameter-order" | "locations-spacing" | "older-secret";

export type Diagnosis = {
  /** Keys of the signed JSON in received order (values are never kept). */
  signedKeys: string[];
  /** now − t, in seconds (positive: the request is that old); null when `t` cannot be read. */
  clockSkewSeconds: number | null;
  /** Short fingerprints of the candidate secrets tried, with their installations. */
  candidates: { installationId: string; fingerprint: string }[];
  /** The candidate and form that fit, ignoring the time window; null when nothing fits. */
  match: { installationId: string; fingerprint: string; nearMiss: NearMiss } | null;
  steps: DiagnosisStep[];
};

export type DiagnosisStep = { title: string; detail: string; ok: boolean };

type Options = Required<Pick<VerifyOptions, "now" | "toleranceSeconds" | "futureToleranceSeconds">>;

/** A secret's short, one-way fingerprint: enough to tell two secrets apart, nothing to sign with. */
export function secretFingerprint(secret: string): string {
  return createHash("sha256").update(`officernd-secret-fingerprint:${secret}`).digest("hex").slice(0, 8);
}

/** The diagnosis of `rawQuery` against every candidate (current ones first, then older secrets). */
export function diagnoseSignedQuery(
  rawQuery: string,
  candidates: readonly DiagnosisCandidate[],
  options: Options,
): Diagnosis {
  const entries = Array.from(new URLSearchParams(rawQuery));
  const params = entries.filter(([name]) => name !== SIGNATURE_PARAM);
  const signatureValues = entries.filter(([name]) => name === SIGNATURE_PARAM).map(([, value]) => value);
  const signedKeys = params.map(([name]) => name);
  const fingerprints = candidates.map((candidate) => ({
    installationId: candidate.installationId,
    fingerprint: secretFingerprint(candidate.secret),
  }));
  const steps: DiagnosisStep[] = [
    {
      title: "Parameters received (in order)",
      detail: signedKeys.length > 0 ? signedKeys.join(", ") : "none",
      ok: signedKeys.length > 0,
    },
  ];
  const base = { signedKeys, candidates: fingerprints, steps };

  const header = signatureValues.length === 1 ? parseSignatureHeader(signatureValues[0]) : null;
  if (!header?.ok) {
    const detail =
      signatureValues.length > 1
        ? "the signature parameter is repeated"
        : signatureValues[0]
          ? "not t=<unix seconds>,signature=<64 hex>"
          : "missing";
    steps.push({ title: "signature parameter", detail, ok: false });
    return { ...base, clockSkewSeconds: null, match: null };
  }
  steps.push({
    title: "signature parameter",
    detail: `t=${header.timestampText}, digest of 64 hex digits`,
    ok: true,
  });

  const skew = options.now - header.timestamp;
  const isInWindow = skew <= options.toleranceSeconds && -skew <= options.futureToleranceSeconds;
  steps.push({
    title: "Time window",
    detail: `t is ${describeSkew(skew)} (allowed: up to ${options.toleranceSeconds} s old, ${options.futureToleranceSeconds} s ahead)`,
    ok: isInWindow,
  });
  steps.push({
    title: "Signed message (spec §3a)",
    detail: `${canonicalQueryJson(redacted(params))}.${header.timestampText}`,
    ok: true,
  });
  if (candidates.length === 0)
    steps.push({ title: "Candidate secrets", detail: "no installation holds this slug", ok: false });

  const match = findNearMiss(params, header.timestampText, header.signature, candidates);
  steps.push(
    match
      ? {
          title: "HMAC-SHA256",
          detail: `fits secret ${secretFingerprint(match.secret)} as ${NEAR_MISS_TEXT[match.nearMiss]}`,
          ok: match.nearMiss === "as-received" || match.nearMiss === "empty-dropped",
        }
      : {
          title: "HMAC-SHA256",
          detail: `fits none of ${candidates.length} candidate secret(s) in any known form`,
          ok: false,
        },
  );
  return {
    ...base,
    clockSkewSeconds: skew,
    match: match
      ? {
          installationId: match.installationId,
          fingerprint: secretFingerprint(match.secret),
          nearMiss: match.nearMiss,
        }
      : null,
  };
}

export const NEAR_MISS_TEXT: Record<NearMiss, string> = {
  "as-received": "received",
  "empty-dropped": "received with empty parameters left out",
  "parameter-order": "signed with the parameters in another order",
  "locations-spacing": "signed with locations spaced differently",
  "older-secret": "an older secret of this organisation (rotated or reconnected)",
};

function findNearMiss(
  params: QueryParam[],
  timestampText: string,
  signature: string,
  candidates: readonly DiagnosisCandidate[],
) {
  const provided = Buffer.from(signature, "hex");
  const forms: { nearMiss: NearMiss; params: QueryParam[] }[] = [
    ...signedParamVariants(params).map((variant) => ({
      nearMiss: variant.variant === "as-received" ? ("as-received" as const) : ("empty-dropped" as const),
      params: variant.params,
    })),
    ...otherOrders(params).map((ordered) => ({ nearMiss: "parameter-order" as const, params: ordered })),
    ...otherSpacings(params).map((spaced) => ({ nearMiss: "locations-spacing" as const, params: spaced })),
  ];
  for (const candidate of [...candidates].sort((a, b) => Number(b.isCurrent) - Number(a.isCurrent))) {
    if (candidate.secret === "") continue;
    for (const form of forms) {
      const expected = Buffer.from(signedQueryDigest(candidate.secret, form.params, timestampText), "hex");
      if (expected.length === provided.length && timingSafeEqual(expected, provided)) {
        return {
          installationId: candidate.installationId,
          secret: candidate.secret,
          nearMiss: candidate.isCurrent ? form.nearMiss : ("older-secret" as const),
        };
      }
    }
  }
  return null;
}

/** OfficeRnD's documented order (slug, locations, organizationId, memberId, then the rest) and sorted. */
function otherOrders(params: QueryParam[]): QueryParam[][] {
  const documented = ["slug", "locations", "organizationId", "memberId"];
  const rank = (name: string) => (documented.includes(name) ? documented.indexOf(name) : documented.length);
  const canonical = [...params].sort((a, b) => rank(a[0]) - rank(b[0]));
  const sorted = [...params].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const received = JSON.stringify(params);
  return [canonical, sorted].filter(
    (ordered, index, all) =>
      JSON.stringify(ordered) !== received &&
      all.findIndex((other) => JSON.stringify(other) === JSON.stringify(ordered)) === index,
  );
}

function otherSpacings(params: QueryParam[]): QueryParam[][] {
  const locations = params.find(([name]) => name === "locations")?.[1];
  if (!locations?.includes(",")) return [];
  const ids = locations.split(",").map((id) => id.trim());
  return [ids.join(","), ids.join(", ")]
    .filter((value) => value !== locations)
    .map((value) =>
      params.map(([name, current]): QueryParam => [name, name === "locations" ? value : current]),
    );
}

function redacted(params: QueryParam[]): QueryParam[] {
  return params.map(([name, value]) => [name, value === "" ? "" : "…"]);
}

function describeSkew(skew: number): string {
  if (skew === 0) return "now";
  return skew > 0 ? `${skew} s old` : `${-skew} s in the future`;
}
