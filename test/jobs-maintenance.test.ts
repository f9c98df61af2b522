// runMaintenance, the every-minute safety net (issue 18 item 1): a run whose worker stopped heart-beating
// gets its location's job sent again, a webhook event still "received" after the grace period gets its
// job sent again, and an enabled location not synced for longer than the interval gets a scheduled run.
// Fresh runs, fresh events, processed events and recently synced locations are left alone.
import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { stopSender } from "@/lib/jobs/boss";
import { runMaintenance } from "@/lib/worker/maintenance";
import { QUEUES } from "@/lib/jobs/queues";
import { closeSqlPool } from "@/lib/sql-pool";
import { createInstallation, createUserWithAccount, randomHex } from "./support/factories";

afterAll(async () => {
  await stopSender();
  await closeSqlPool();
});

const NOW = new Date();
const ago = (ms: number) => new Date(NOW.getTime() - ms);
const MINUTE = 60_000;

async function jobsIn(queue: string): Promise<unknown[]> {
  const rows = await db.$queryRawUnsafe<{ data: unknown }[]>(
    `SELECT data FROM pgboss.job WHERE name = $1 AND state = 'created'`,
    queue,
  );
  return rows.map((row) => row.data);
}

describe("runMaintenance", () => {
  it("resends the stalled run's job and the lost event's job, schedules the due location, and touches nothing else", async () => {
    const { account } = await createUserWithAccount();
    const [stalled, due, recent] = ["stalled", "due", "recent"].map((name) => ({
      id: `${name}-${randomHex(4)}`,
      name,
    }));
    const { installation } = await createInstallation({
      accountId: account.id,
      locations: [stalled!, due!, recent!],
    });
    const installationId = installation.id;
    await db.installation.update({ where: { id: installationId }, data: { syncEnabled: true } });
    await db.installationLocation.updateMany({
      where: { installationId },
      data: { lastSyncAt: ago(MINUTE) },
    });
    await db.installationLocation.updateMany({
      where: { installationId, locationId: due!.id },
      data: { lastSyncAt: ago(20 * MINUTE) },
    });

    // A run whose worker died 5 minutes ago, and one whose worker is alive (heartbeat 5 s ago).
    const run = (locationId: string, heartbeatAt: Date) =>
      db.syncRun.create({
        data: {
          installationId,
          locationId,
          kind: "full",
          trigger: "test",
          status: "running",
          startedAt: ago(10 * MINUTE),
          heartbeatAt,
        },
      });
    await run(stalled!.id, ago(5 * MINUTE));
    await run(recent!.id, ago(5_000));

    // An event never picked up (10 minutes old), one just received, and one long processed.
    const event = (receivedAt: Date, status: string) =>
      db.webhookEvent.create({
        data: {
          id: randomUUID(),
          installationId,
          dedupeKey: randomHex(),
          eventType: "member.updated",
          payload: {},
          signedAt: receivedAt,
          receivedAt,
          status,
        },
      });
    const lost = await event(ago(10 * MINUTE), "received");
    await event(ago(30_000), "received");
    await event(ago(10 * MINUTE), "processed");

    const result = await runMaintenance(NOW);

    expect(result).toEqual({ resumed: 1, redriven: 1, scheduled: 1 });
    expect(await jobsIn(QUEUES.webhookEvent)).toEqual([{ eventId: lost.id }]);
    const syncJobs = (await jobsIn(QUEUES.syncLocation)) as { installationId: string; locationId: string }[];
    expect(syncJobs.map((job) => job.locationId).sort()).toEqual([stalled!.id, due!.id].sort());
    expect(syncJobs.every((job) => job.installationId === installationId)).toBe(true);
    // The due location got a queued run triggered by the schedule; the others got no new run.
    const scheduled = await db.syncRun.findMany({
      where: { installationId, trigger: "schedule" },
      select: { locationId: true, status: true },
    });
    expect(scheduled).toEqual([{ locationId: due!.id, status: "queued" }]);
    expect(await db.syncRun.count({ where: { installationId } })).toBe(3);
  });
});
