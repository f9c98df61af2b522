// One generation of `npm run bench:api-calls`, in its own process (env() is read once): an installation
// of every emulator location, a full sync of each location run to the end in this process, and the copy
// compared with the emulator's records. Prints one line: API_CALLS_RESULT <json>.
import { db } from "@/lib/db";
import { stopSender } from "@/lib/jobs/boss";
import { configureLogLevel } from "@/lib/log";
import { getApiGenerationInfo } from "@/lib/officernd/api-generation-store";
import { executeRun } from "@/lib/sync/engine";
import { requestSync } from "@/lib/sync/request-sync";
import { claimNextRun } from "@/lib/sync/run-claim";
import { closeSqlPool } from "@/lib/sql-pool";
import { BENCH_ORG, parseChildArgs, printResult } from "./bench-run";
import { compareWithEmulator, connectInstallation } from "./emulator-org";

const { values, emulator } = parseChildArgs({ org: { type: "string" } });
const org = typeof values.org === "string" ? values.org : BENCH_ORG;

async function main(): Promise<void> {
  configureLogLevel();
  // Default location settings (active members, companies): what a partner's first full sync copies.
  const installation = await connectInstallation({ emulator, org });
  // Only the sync's own requests are counted (the installation above was set up through the control API).
  await emulator.control("/_emulator/requests", undefined, "DELETE");
  await requestSync({ installationId: installation.installationId, trigger: "bench", kind: "full" });
  let runs = 0;
  for (const locationId of installation.locationIds) {
    for (;;) {
      const claim = await claimNextRun({ installationId: installation.installationId, locationId });
      if (claim.kind !== "claimed") break;
      const outcome = await executeRun(claim.run, {});
      runs++;
      if (outcome !== "succeeded") throw new Error(`sync run for ${locationId} ended ${outcome}`);
    }
  }
  const differences = await compareWithEmulator({ emulator, installation });
  const [members, companies] = await Promise.all([
    db.member.count({ where: { installationId: installation.installationId, deletedAt: null } }),
    db.company.count({ where: { installationId: installation.installationId, deletedAt: null } }),
  ]);
  const generation = await getApiGenerationInfo(installation.installationId);
  printResult("API_CALLS_RESULT", {
    runs,
    locations: installation.locationIds.length,
    members,
    companies,
    differences: differences.length,
    generation: generation.generation,
    reason: generation.reason,
  });
  await stopSender();
  await closeSqlPool();
  await db.$disconnect();
  process.exit(0);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
