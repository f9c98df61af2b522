import {
  canonicalQueryJson,
  parseSignatureHeader,
  SIGNATURE_PARAM,
  signedParamVariants,
  signedQueryDigest,
  signedQueryMessage,
  verifySignedQuery,
  type QueryParam,
} from "@/lib/officernd/signature";
import {
  diagnoseSignedQuery,
  NEAR_MISS_TEXT,
  secretFingerprint,
  type DiagnosisCandidate,
} from "@/lib/officernd/signature-diagnosis";
import { rawQueryOf } from "@/lib/officernd/signed-query";

// The text `npm run signature:explain` prints (issue 13 part 1): step by step, what the spec computes
// (api.md §3a) and what was received, and which step fails. Pure, so it is tested as text. Expected
// digests are shown only by their first 8 hex digits: the report must not hand out a valid signature.

export type ExplainInput = {
  /** A full URL or just its query (with or without "?"). */
  urlOrQuery: string;
  candidates: (DiagnosisCandidate & { label: string })[];
  now: number;
  toleranceSeconds: number;
  futureToleranceSeconds: number;
};

export type ExplainReport = { lines: string[]; isAccepted: boolean; failingStep: number | null };

const PASS = "✓";
const FAIL = "✗";

export function explainSignedQuery(input: ExplainInput): ExplainReport {
  const rawQuery = /^https?:\/\//i.test(input.urlOrQuery)
    ? rawQueryOf(input.urlOrQuery)
    : input.urlOrQuery.replace(/^\?/, "");
  const entries = Array.from(new URLSearchParams(rawQuery));
  const params: QueryParam[] = entries.filter(([name]) => name !== SIGNATURE_PARAM);
  const signatureValues = entries.filter(([name]) => name === SIGNATURE_PARAM).map(([, value]) => value);
  const options = {
    now: input.now,
    toleranceSeconds: input.toleranceSeconds,
    futureToleranceSeconds: input.futureToleranceSeconds,
  };
  const lines: string[] = ["Signature explainer: OfficeRnD signed GET (spec: officernd-api.md §3a)", ""];
  let failingStep: number | null = null;
  const fail = (step: number) => (failingStep ??= step);

  lines.push(`1. Parameters received, in order (signature excluded): ${params.length}`);
  for (const [name, value] of params) lines.push(`     ${name} = ${JSON.stringify(value)}`);
  const names = params.map(([name]) => name);
  if (new Set(names).size !== names.length) {
    lines.push(
      `   ${FAIL} a parameter name is repeated: OfficeRnD signs one JSON object, so this cannot verify`,
    );
    fail(1);
  }

  const header = signatureValues.length === 1 ? parseSignatureHeader(signatureValues[0]) : null;
  lines.push("", "2. The signature parameter: t=<unix seconds>,signature=<64 hex digits>");
  if (!header?.ok) {
    lines.push(
      `   ${FAIL} ${signatureValues.length > 1 ? "sent more than once" : signatureValues.length === 0 || signatureValues[0] === "" ? "missing" : `malformed: ${JSON.stringify(signatureValues[0]!.slice(0, 120))}`}`,
    );
    fail(2);
    return finish(lines, false, failingStep);
  }
  lines.push(`   ${PASS} t = ${header.timestampText}, received digest ${header.signature.slice(0, 8)}…`);

  const skew = input.now - header.timestamp;
  const isInWindow = skew <= input.toleranceSeconds && -skew <= input.futureToleranceSeconds;
  lines.push(
    "",
    `3. Time window: now ${input.now}, t ${header.timestamp} → ${skew >= 0 ? `${skew} s old` : `${-skew} s in the future`}`,
    `   allowed: up to ${input.toleranceSeconds} s old (SIGNATURE_TOLERANCE_SECONDS), ${input.futureToleranceSeconds} s ahead (SIGNATURE_FUTURE_TOLERANCE_SECONDS)`,
    `   ${isInWindow ? PASS : FAIL} ${isInWindow ? "inside the window" : skew > 0 ? "too old: a replay, a delay, or a clock behind" : "in the future: a clock ahead"}`,
  );
  if (!isInWindow) fail(3);

  lines.push(
    "",
    '4. The signed string the spec computes: JSON.stringify(<parameters in received order>) + "." + t',
    `     ${signedQueryMessage(params, header.timestampText)}`,
    `   JSON keys in order: ${canonicalQueryJson(params.map(([name]) => [name, "…"]))}`,
  );

  lines.push("", `5. HMAC-SHA256 with each candidate secret (${input.candidates.length})`);
  if (input.candidates.length === 0) {
    lines.push(
      `   ${FAIL} no installation holds slug ${JSON.stringify(params.find(([name]) => name === "slug")?.[1] ?? "")}: nothing to verify with`,
    );
    fail(5);
  }
  const variants = signedParamVariants(params);
  for (const candidate of input.candidates) {
    const matches = variants.filter(
      (variant) =>
        signedQueryDigest(candidate.secret, variant.params, header.timestampText) === header.signature,
    );
    const expected = signedQueryDigest(candidate.secret, params, header.timestampText).slice(0, 8);
    const verdict =
      matches.length > 0
        ? `${PASS} matches${matches[0]!.variant === "as-received" ? "" : ` with empty parameters left out (${matches[0]!.variant})`}`
        : `${FAIL} expected ${expected}…, received ${header.signature.slice(0, 8)}…`;
    lines.push(
      `     secret ${secretFingerprint(candidate.secret)}  ${candidate.label}${candidate.isCurrent ? "" : " (older)"}  ${verdict}`,
    );
  }

  const verified = verifySignedQuery(
    rawQuery,
    input.candidates.filter((candidate) => candidate.isCurrent).map((candidate) => candidate.secret),
    options,
  );
  const diagnosis = diagnoseSignedQuery(rawQuery, input.candidates, options);
  if (!verified.ok && verified.reason === "mismatch") fail(5);

  lines.push("", "6. Known mistakes tried (never accepted, they only name the cause)");
  if (
    diagnosis.match &&
    diagnosis.match.nearMiss !== "as-received" &&
    diagnosis.match.nearMiss !== "empty-dropped"
  ) {
    lines.push(
      `   → the signature fits secret ${diagnosis.match.fingerprint} when ${NEAR_MISS_TEXT[diagnosis.match.nearMiss]}`,
    );
  } else if (!diagnosis.match) {
    lines.push(
      "   none fits: another parameter order, locations spaced differently, empty parameters left out, and older secrets were all tried",
    );
    lines.push(
      "   → the secret differs (was the integration re-added at OfficeRnD?) or a value changed after signing",
    );
  } else {
    lines.push("   not needed: the signature fits as received");
  }
  return finish(lines, verified.ok, failingStep);
}

function finish(lines: string[], isAccepted: boolean, failingStep: number | null): ExplainReport {
  lines.push(
    "",
    isAccepted && failingStep === null
      ? `Result: ${PASS} the signature verifies.`
      : `Result: ${FAIL} refused at step ${failingStep ?? "?"}.`,
  );
  return { lines, isAccepted: isAccepted && failingStep === null, failingStep };
}
