// One generation of `npm run bench:api-calls`, in its own process (env() is read once): an installation
// of every emulator location, a full sync of each location run to the end in this process, and the copy
// compared with the emulator's records. Prints one line: API_CALLS_RESULT <json>.
import { parseArgs } from "node:util";
import { db } from "@/lib/db";
import { stopSender } from "@/lib/jobs/boss";
import { configureLogLevel } from "@/lib/log";
import { getApiGenerationInfo } from "@/lib/officernd/api-generation-store";
import { executeRun } from "@/lib/sync/engine";
import { requestSync } from "@/lib/sync/request-sync";
import { claimNextRun } from "@/lib/sync/run-claim";
import { closeSqlPool } from "@/lib/sql-pool";
import { compareWithEmulator, connectInstallation, type EmulatorHandle } from "./emulator-org";

const { values } = parseArgs({ options: { "emulator-url": { type: "string" }, org: { type: "string" } } });
const emulatorUrl = values["emulator-url"]!;
const org = values.org ?? "acme-coworking";

const emulator: EmulatorHandle = {
  url: emulatorUrl,
  control: async <T>(route: string, body?: unknown, method = body === undefined ? "GET" : "POST") => {
    const response = await fetch(`${emulatorUrl}${route}`, {
      method,
      headers: { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`${route}: ${response.status}`);
    return (await response.json()) as T;
  },
};

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
  console.log(
    `API_CALLS_RESULT ${JSON.stringify({ runs, locations: installation.locationIds.length, members, companies, differences: differences.length, generation: generation.generation, reason: generation.reason })}`,
  );
  await stopSender();
  await closeSqlPool();
  await db.$disconnect();
  process.exit(0);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
