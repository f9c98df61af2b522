// Used by test/dev-stop.test.ts against a running `npm run dev`: slows the emulator's API down (every
// API v2 call waits 1 s), connects an installation of acme-coworking in the dev database and asks the
// dev worker for a full sync, which then stays in progress for a while. DATABASE_URL, ENCRYPTION_KEY and
// EMULATOR_URL come from the test.
import { connectInstallation, type EmulatorHandle } from "../../bench/lib/emulator-org.ts";
import { db } from "@/lib/db";
import { stopSender } from "@/lib/jobs/boss";
import { closeSqlPool } from "@/lib/sql-pool";
import { requestSync } from "@/lib/sync/request-sync";

const emulatorUrl = process.env.EMULATOR_URL!;
const emulator: EmulatorHandle = {
  url: emulatorUrl,
  control: async <T>(route: string, body?: unknown, method = body === undefined ? "GET" : "POST") => {
    const response = await fetch(`${emulatorUrl}${route}`, {
      method,
      headers: { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`${method} ${route} → ${response.status}: ${await response.text()}`);
    return (await response.json()) as T;
  },
};

// This database belongs to the stop test alone: runs and installations of its earlier rounds (whose
// tokens point at emulators that are gone) would only keep the worker busy retrying.
await db.$executeRawUnsafe(`TRUNCATE "SyncRun", "Installation" CASCADE`);
await emulator.control("/_emulator/faults", { path: "/api/v2/**", latencyMs: 1_000 });
const installation = await connectInstallation({ emulator, org: "acme-coworking" });
const { runIds } = await requestSync({
  installationId: installation.installationId,
  trigger: "dev-stop-test",
  kind: "full",
});
console.log(`SYNC_REQUESTED ${runIds.join(",")}`);
await stopSender();
// requestSync runs on the pg pool: close it as well as Prisma's, or this process outlives the test's wait.
await Promise.all([db.$disconnect(), closeSqlPool()]);
