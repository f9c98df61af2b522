// requestSync costs a constant number of database round trips, whatever the number of locations
// (issue 16 §1). Every connection of this file (Prisma, the pg pool, pg-boss) goes through a TCP proxy
// that counts round trips: a simple Query, or the Sync that ends an extended-protocol exchange.
import { afterAll, beforeAll, expect, it } from "vitest";
import { resetEnvForTests } from "@/lib/env";
import { sendSyncJobs, stopSender } from "@/lib/jobs/boss";
import { closeSqlPool } from "@/lib/sql-pool";
import { requestSync } from "@/lib/sync/request-sync";
import { startCountingProxy } from "../bench/lib/pg-counting-proxy";
import { createInstallation, createUserWithAccount, randomHex } from "./support/factories";

let proxy: Awaited<ReturnType<typeof startCountingProxy>>;

beforeAll(async () => {
  const url = new URL(process.env.DATABASE_URL!);
  proxy = await startCountingProxy({ host: url.hostname, port: Number(url.port) });
  url.hostname = "127.0.0.1";
  url.port = String(proxy.port);
  process.env.DATABASE_URL = url.toString();
  resetEnvForTests();
});

afterAll(async () => {
  await stopSender();
  await closeSqlPool();
  await proxy.close();
});

async function installationWith(count: number) {
  const { account } = await createUserWithAccount();
  const locations = Array.from({ length: count }, (_, index) => ({ id: randomHex(), name: `L${index}` }));
  return (await createInstallation({ accountId: account.id, locations })).installation.id;
}

async function roundTrips(call: () => Promise<unknown>): Promise<number> {
  proxy.reset();
  await call();
  return proxy.counts().roundTrips;
}

it("the same round trips for 1 and 10 locations, queuing and reusing: 4 for the runs, plus the job insert", async () => {
  // Warm up: the pools' connections and pg-boss's start are not part of a request.
  await requestSync({ installationId: await installationWith(2), trigger: "warm-up" });

  const figures: Record<string, number> = {};
  for (const count of [1, 10]) {
    const installationId = await installationWith(count);
    const jobs = [...Array(count).keys()].map((index) => ({ installationId, locationId: `job-${index}` }));
    figures[`jobs, ${count} locations`] = await roundTrips(() => sendSyncJobs(jobs));
    figures[`queue, ${count} locations`] = await roundTrips(() =>
      requestSync({ installationId, trigger: "t" }),
    );
    figures[`reuse+upgrade, ${count} locations`] = await roundTrips(() =>
      requestSync({ installationId, trigger: "t", kind: "full" }),
    );
  }
  console.log("requestSync round trips:", figures);
  const jobs = figures["jobs, 1 locations"]!;
  expect(figures["jobs, 10 locations"]).toBe(jobs);
  for (const count of [1, 10]) {
    expect(figures[`queue, ${count} locations`]).toBe(4 + jobs);
    expect(figures[`reuse+upgrade, ${count} locations`]).toBe(4 + jobs);
  }
});
