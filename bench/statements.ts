// npm run bench:statements – what preparing the hot statements saves (issue 16 §1). Each statement of
// the signed routes and the webhook receiver, run serially on one connection against the bench's 1,000
// installations: as an unnamed statement (parsed and planned on every call, the baseline) and as the
// named prepared statement the app uses (lib/sql-pool.ts `preparedStatement`). Prints ms per call and
// the ratio. A script: it asserts nothing.
import { randomBytes, randomUUID } from "node:crypto";
import pg from "pg";
import { HEALTHCHECK_RECORD_INTERVAL_MS } from "../lib/installations/check-installation-health.ts";
import { RECORD_HEALTHCHECK } from "../lib/installations/record-healthcheck.ts";
import { FIND_CANDIDATES } from "../lib/installations/resolve-signed-installation.ts";
import { STORE_EVENT } from "../lib/webhooks/receive.ts";
import { prepareHttpBench } from "./lib/http-bench-database.ts";

const CALLS = Number(process.env.BENCH_CALLS ?? 2_000);

type Installation = { id: string; orgSlug: string; secretEnc: string; locationsKey: string };
type WebhookRow = { id: string; installationId: string; secretEnc: string };

async function msPerCall(run: (index: number) => Promise<unknown>): Promise<number> {
  for (let index = 0; index < 50; index++) await run(index); // warm-up (and the prepare itself)
  const started = process.hrtime.bigint();
  for (let index = 0; index < CALLS; index++) await run(index);
  return Number(process.hrtime.bigint() - started) / 1e6 / CALLS;
}

async function main(): Promise<void> {
  const bench = await prepareHttpBench({ name: "statements", count: 1_000, build: false });
  const client = new pg.Client({ connectionString: bench.databaseUrl });
  await client.connect();
  try {
    const installations = (
      await client.query<Installation>(
        `SELECT "id", "orgSlug", "secretEnc", "locationsKey" FROM "Installation"`,
      )
    ).rows;
    const webhooks = (
      await client.query<WebhookRow>(`SELECT "id", "installationId", "secretEnc" FROM "WebhookSubscription"`)
    ).rows;
    const at = (index: number) => installations[index % installations.length]!;
    const statements: { name: string; config: (index: number) => pg.QueryConfig }[] = [
      {
        name: "healthcheck (record-healthcheck)",
        config: (index) =>
          RECORD_HEALTHCHECK([
            at(index).id,
            at(index).secretEnc,
            at(index).locationsKey,
            randomBytes(32).toString("hex"),
            new Date(Date.now() + 600_000).toISOString(),
            "officernd-healthcheck",
            new Date().toISOString(),
            HEALTHCHECK_RECORD_INTERVAL_MS / 1000,
          ]),
      },
      {
        name: "candidates read (signed-candidates)",
        config: (index) => FIND_CANDIDATES([at(index).orgSlug, 50]),
      },
      {
        name: "webhook insert (store-webhook-event)",
        config: (index) => {
          const webhook = webhooks[index % webhooks.length]!;
          const now = new Date().toISOString();
          return STORE_EVENT([
            webhook.id,
            webhook.secretEnc,
            randomUUID(),
            webhook.installationId,
            randomBytes(16).toString("hex"),
            "member.updated",
            randomBytes(12).toString("hex"),
            JSON.stringify({ eventType: "member.updated", data: { object: { _id: "x" } } }),
            now,
            now,
          ]);
        },
      },
    ];
    console.log(`\n${CALLS} calls each, serially on one connection, 1,000 installations`);
    for (const statement of statements) {
      const unnamed = await msPerCall((index) => {
        const { text, values } = statement.config(index);
        return client.query(text, values);
      });
      const prepared = await msPerCall((index) => client.query(statement.config(index)));
      console.log(
        `  ${statement.name.padEnd(38)} unnamed ${unnamed.toFixed(3)} ms  prepared ${prepared.toFixed(3)} ms  ratio ${(prepared / unnamed).toFixed(2)}`,
      );
    }
  } finally {
    await client.end();
    await bench.dispose();
  }
}

await main();
