import { randomBytes } from "node:crypto";
import { parseKeyring, type Keyring } from "../../lib/crypto/keyring.ts";
import {
  createDatabaseIfMissing,
  dropDatabase,
  MIGRATIONS_DIR,
  withDatabase,
} from "../../scripts/lib/database.ts";
import { migrate } from "../../scripts/lib/migrations.ts";
import { runToCompletion } from "../../scripts/lib/processes.ts";
import { ensureTestServer, uniqueDatabaseName } from "../../test/support/test-postgres.ts";
import { insertInstallations, type BenchInstallation } from "../http-fixtures.ts";
import { BENCH_DIST_DIR, NEXT_BIN } from "./http-scenarios.ts";

export type HttpBenchDatabase = {
  databaseUrl: string;
  encryptionKey: string;
  keyring: Keyring;
  installations: BenchInstallation[];
  /** Drops the database and stops the server (if this run started it). */
  dispose: () => Promise<void>;
};

/**
 * What bench:http and bench:http-profile both start from: the production build (unless `build` is
 * false), a fresh migrated database on the bench Postgres and `count` installations with a new key.
 */
export async function prepareHttpBench(input: {
  name: string;
  count: number;
  build: boolean;
}): Promise<HttpBenchDatabase> {
  // Always measure the code as it is now (a stale build would measure an older app).
  if (input.build)
    await runToCompletion("next build", NEXT_BIN, ["build"], {
      NEXT_DIST_DIR: BENCH_DIST_DIR,
      NEXT_TELEMETRY_DISABLED: "1",
    });
  const server = await ensureTestServer();
  const database = uniqueDatabaseName(input.name);
  await createDatabaseIfMissing(server.adminUrl, database);
  const dispose = async () => {
    await dropDatabase(server.adminUrl, database).catch(() => undefined);
    await server.stop();
  };
  try {
    const databaseUrl = withDatabase(server.adminUrl, database);
    await migrate(databaseUrl, MIGRATIONS_DIR);
    const encryptionKey = `bench:${randomBytes(32).toString("base64")}`;
    const keyring = parseKeyring(encryptionKey);
    console.log(`Inserting ${input.count} installations…`);
    const installations = await insertInstallations(databaseUrl, keyring, input.count);
    return { databaseUrl, encryptionKey, keyring, installations, dispose };
  } catch (error) {
    await dispose();
    throw error;
  }
}
