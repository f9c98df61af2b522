// npm run signature:explain -- '<full URL or query>' [--installation <id>] [--now <unix seconds>]
// Prints, step by step, what the spec computes for an OfficeRnD signed GET and what was received, and
// which step fails (issue 13 part 1). Reads the candidate secrets from the database (DATABASE_URL,
// ENCRYPTION_KEY); prints only their 8-hex fingerprints, never a secret or a valid digest.
import { parseArgs } from "node:util";
import { decryptSecret } from "@/lib/crypto/secrets";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { loadCandidateSecrets } from "@/lib/installations/resolve-signed-installation";
import { explainSignedQuery } from "@/lib/officernd/signature-explain-report";
import { rawQueryOf } from "@/lib/officernd/signed-query";
import { closeSqlPool } from "@/lib/sql-pool";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { installation: { type: "string" }, now: { type: "string" } },
});
const urlOrQuery = positionals[0];
if (!urlOrQuery) {
  console.error(
    "Usage: npm run signature:explain -- '<full URL or query>' [--installation <id>] [--now <unix seconds>]",
  );
  process.exit(2);
}

async function candidates() {
  if (values.installation) {
    const row = await db.installation.findUnique({
      where: { id: values.installation },
      select: { id: true, orgSlug: true, status: true, secretEnc: true },
    });
    if (!row) throw new Error(`No installation ${values.installation}.`);
    return [
      {
        installationId: row.id,
        secret: decryptSecret(row.secretEnc, `installation:${row.id}:secret`),
        isCurrent: row.status !== "removed",
        label: `installation ${row.id} (${row.status})`,
      },
    ];
  }
  const rawQuery = /^https?:\/\//i.test(urlOrQuery!)
    ? rawQueryOf(urlOrQuery!)
    : urlOrQuery!.replace(/^\?/, "");
  const slug = new URLSearchParams(rawQuery).get("slug");
  if (!slug) return [];
  return (await loadCandidateSecrets(slug)).map((candidate) => ({
    ...candidate,
    label: `installation ${candidate.installationId}`,
  }));
}

try {
  const config = env();
  const report = explainSignedQuery({
    urlOrQuery,
    candidates: await candidates(),
    now: values.now ? Number(values.now) : Math.floor(Date.now() / 1000),
    toleranceSeconds: config.SIGNATURE_TOLERANCE_SECONDS,
    futureToleranceSeconds: config.SIGNATURE_FUTURE_TOLERANCE_SECONDS,
  });
  console.log(report.lines.join("\n"));
  process.exitCode = report.isAccepted ? 0 : 1;
} finally {
  // Both clients: the candidates are read on the pg pool, whose idle connections would hold the process.
  await Promise.all([db.$disconnect(), closeSqlPool()]);
}
