import "server-only";
import { readdirSync } from "node:fs";
import path from "node:path";
import { db } from "@/lib/db";

export type ReadinessCheck = { name: "database" | "migrations" | "worker"; isOk: boolean; detail: string };

const WORKER_FRESH_SECONDS = 60;

function expectedMigrations(): string[] {
  const dir = path.join(process.cwd(), "prisma", "migrations");
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name);
}

/** Database reachable, every migration applied, a worker seen within the last minute. */
export async function checkReadiness(): Promise<ReadinessCheck[]> {
  try {
    await db.$queryRaw`SELECT 1`;
  } catch {
    return [{ name: "database", isOk: false, detail: "PostgreSQL is unreachable" }];
  }
  const applied = await db.$queryRaw<{ migration_name: string }[]>`
    SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`;
  const appliedNames = new Set(applied.map((row) => row.migration_name));
  const missing = expectedMigrations().filter((name) => !appliedNames.has(name));
  const worker = await db.workerHeartbeat.findFirst({
    orderBy: { seenAt: "desc" },
    select: { seenAt: true },
  });
  const workerAge = worker ? (Date.now() - worker.seenAt.getTime()) / 1000 : Infinity;
  return [
    { name: "database", isOk: true, detail: "reachable" },
    {
      name: "migrations",
      isOk: missing.length === 0,
      detail: missing.length === 0 ? "all applied" : `not applied: ${missing.join(", ")}`,
    },
    {
      name: "worker",
      isOk: workerAge <= WORKER_FRESH_SECONDS,
      detail: worker ? `last seen ${Math.round(workerAge)} s ago` : "no worker has run yet",
    },
  ];
}
